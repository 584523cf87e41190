import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataSource } from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';

const context: CallContext = { transport: 'test', operator: { id: 't', role: 'director' } };

function waitForState(core: ConsoleCore, state: DataSource['state']): Promise<DataSource> {
  return new Promise((resolve) => {
    const unsubscribe = core.events.subscribe((name, payload) => {
      const source = payload as DataSource;
      if (name === 'app.dataSource' && source.state === state) {
        unsubscribe();
        resolve(source);
      }
    });
  });
}

describe('demo mode', () => {
  let core: ConsoleCore | null = null;
  let dir = '';
  afterEach(async () => {
    await core?.dispose();
    core = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the embedded sandbox when no platform is configured and reads the migration through the client', async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-demo-'));
    core = await composeBrowserCore({ dataDir: dir, logger: createMemoryLogger() });
    const ready = await waitForState(core, 'ready');
    expect(ready).toMatchObject({ kind: 'demo', label: 'Demo sandbox (12,000 users)' });
    expect(ready.lastRefreshedAt).not.toBeNull();

    const info = await core.dispatch('app.info', {}, context);
    expect(info).toMatchObject({ ok: true, value: { dataSource: { kind: 'demo', state: 'ready' } } });

    const overview = await core.dispatch('migration.overview', {}, context);
    expect(overview.ok).toBe(true);
    if (!overview.ok) return;
    const migration = overview.value as {
      counts: { total: number; byStatus: Record<string, number> };
      cutoffAt: string;
    };
    expect(migration.counts.total).toBe(12_000);
    const sum = Object.values(migration.counts.byStatus).reduce((a, b) => a + b, 0);
    expect(sum).toBe(12_000);
    expect(Date.parse(migration.cutoffAt)).toBeGreaterThan(Date.now());
  });

  it('reports an honest offline state when there is neither a platform nor a demo', async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-demo-'));
    core = await composeBrowserCore({ dataDir: dir, logger: createMemoryLogger(), demo: false });
    const refreshed = await core.dispatch('dataSource.refresh', {}, context);
    expect(refreshed).toMatchObject({ ok: true, value: { kind: 'none', state: 'offline' } });
    const overview = await core.dispatch('migration.overview', {}, context);
    expect(overview).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
