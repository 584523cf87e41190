import { describe, expect, it } from 'vitest';
import { createConsoleCore } from '../compose.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { createMemoryStore } from '../preferences/preferences-service.ts';
import type { CallContext } from './dispatcher.ts';

const director: CallContext = { transport: 'test', operator: { id: 't', role: 'director' } };

async function makeCore() {
  const logger = createMemoryLogger();
  const opened: string[] = [];
  const core = await createConsoleCore({
    host: 'browser',
    productName: 'Test',
    version: '0.0.0',
    logger,
    store: createMemoryStore(),
    openExternal: async (url) => void opened.push(url),
  });
  return { core, logger, opened };
}

describe('dispatcher', () => {
  it('answers a valid call with the contract output', async () => {
    const { core } = await makeCore();
    const reply = await core.dispatch('preferences.set', { theme: 'dark' }, director);
    expect(reply).toEqual({ ok: true, value: { theme: 'dark', navCollapsed: false } });
  });

  it('refuses unknown methods, bad shapes and oversized payloads with typed errors', async () => {
    const { core, logger } = await makeCore();
    expect(await core.dispatch('nope.nothing', {}, director)).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await core.dispatch('__proto__', {}, director)).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    const bad = await core.dispatch(
      'preferences.set',
      { theme: 'purple', secretField: 'sentinel-XYZ' },
      director,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const big = await core.dispatch('app.openExternal', { url: 'x'.repeat(300_000) }, director);
    expect(big).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await core.dispatch('preferences.set', cyclic, director)).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    expect(logger.lines.join('\n')).not.toContain('sentinel-XYZ');
  });

  it('opens only allowlisted https links', async () => {
    const { core, opened } = await makeCore();
    expect(
      await core.dispatch('app.openExternal', { url: 'https://learn.microsoft.com/graph' }, director),
    ).toMatchObject({ ok: true, value: { opened: true } });
    expect(await core.dispatch('app.openExternal', { url: 'file:///etc/passwd' }, director)).toMatchObject({
      ok: true,
      value: { opened: false },
    });
    expect(await core.dispatch('app.openExternal', { url: 'https://evil.example/' }, director)).toMatchObject(
      { ok: true, value: { opened: false } },
    );
    expect(opened).toEqual(['https://learn.microsoft.com/graph']);
  });
});
