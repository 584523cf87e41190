import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/contract/errors.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { openCliCore } from './cli-core.ts';
import { cliOperator } from './cli-operator.ts';
import type { CommandContext } from './command.ts';
import { createOutput } from './output.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ users: 40, seed: 'cli-core', identity: false });
});
afterAll(async () => sandbox.close());

function commandContext(stderr: string[]): CommandContext {
  return {
    values: {},
    globals: {
      platformUrl: sandbox.platformUrl,
      platformKeyEnv: 'CLI_CORE_KEY',
      graphUrl: undefined,
      graphTokenEnv: undefined,
      dataDir: undefined,
      json: true,
    },
    env: { CLI_CORE_KEY: sandbox.apiKey },
    out: createOutput(true, {
      stdout: { write: () => true },
      stderr: { write: (t: string) => stderr.push(t) },
    }),
    signal: new AbortController().signal,
  };
}

describe('the CLI goes through the dispatcher', () => {
  it('has its input checked against the contract like any other transport', async () => {
    const core = await openCliCore(commandContext([]));
    try {
      const refused = core.call('roster.query', { filter: { status: ['paused'] } } as never);
      await expect(refused).rejects.toBeInstanceOf(ConsoleError);
      await expect(refused).rejects.toMatchObject({ code: 'bad_input' });
      const synced = await core.call('roster.sync', { mode: 'incremental', wait: true });
      expect(synced).toMatchObject({ rowCount: 40, lastError: null, storeState: 'memory-only' });
    } finally {
      await core.close();
    }
  });

  it('maps a platform failure to a typed error once, at the door', async () => {
    const context = commandContext([]);
    const core = await openCliCore({ ...context, env: { CLI_CORE_KEY: 'not-the-key' } });
    try {
      await expect(core.call('migration.overview', {})).rejects.toMatchObject({ code: 'unauthorized' });
    } finally {
      await core.close();
    }
  });

  it('acts as the holder of the platform key, named by OS user and host', () => {
    const operator = cliOperator({});
    expect(operator.role).toBe('director');
    expect(operator.origin?.host).toBe(hostname());
    expect(operator.id).toBe(`cli:${operator.origin?.osUser}@${hostname()}`);
  });
});
