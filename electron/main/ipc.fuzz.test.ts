import type { IpcMain } from 'electron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EnvelopeSchema,
  ErrorCode,
  INVOKE_CHANNEL_PREFIX,
  methodNames,
  Preferences,
} from '../../shared/contract/index.ts';
import { createConsoleCore } from '../core/compose.ts';
import { createMemoryLogger } from '../core/log/logger.ts';
import { createMemoryStore } from '../core/preferences/preferences-service.ts';
import { checkExternalUrl, DEFAULT_EXTERNAL_HOSTS } from '../core/security/external-links.ts';
import { registerIpcHandlers } from './ipc.ts';
import { createFakeElectron, invokeEventFrom, makeFrame } from './test-support/fake-electron.ts';

const prototypeKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

/** Values a hostile or buggy renderer could send through structured clone, and then some. */
const payload = fc.oneof(
  fc.jsonValue(),
  fc.anything({
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
  }),
  fc.record(
    {
      theme: fc.oneof(fc.string(), fc.constantFrom('dark', 'light', 'system', 'high-contrast')),
      navCollapsed: fc.oneof(fc.boolean(), fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    url: fc.oneof(
      fc.webUrl(),
      fc.string(),
      fc.constantFrom(
        'https://learn.microsoft.com/graph',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'https://user:pw@learn.microsoft.com/',
      ),
    ),
  }),
  fc.constantFrom(
    JSON.parse('{"__proto__":{"polluted":true,"theme":"dark"}}') as unknown,
    JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown,
    JSON.parse('{"theme":"dark","__proto__":{"navCollapsed":true}}') as unknown,
    { toJSON: 'not a function' },
    'x'.repeat(300_000),
    { url: 'https://learn.microsoft.com/'.padEnd(1_000_000, 'a') },
    null,
    undefined,
  ),
  fc.integer({ min: 1, max: 3000 }).map((depth) => {
    let nested: unknown = { theme: 'dark' };
    for (let i = 0; i < depth; i += 1) nested = i % 2 === 0 ? [nested] : { inner: nested };
    return nested;
  }),
);

const sender = fc.constantFrom('app', 'iframe', 'foreign', 'missing', 'other-main-frame');

function eventFor(kind: string) {
  const top = makeFrame('app://console/index.html');
  switch (kind) {
    case 'app':
      return { event: invokeEventFrom(top), trusted: true };
    case 'iframe':
      return { event: invokeEventFrom(makeFrame('app://console/index.html', top), top), trusted: false };
    case 'foreign':
      return { event: invokeEventFrom(makeFrame('https://evil.example/index.html')), trusted: false };
    case 'other-main-frame':
      return { event: invokeEventFrom(makeFrame('app://console/index.html'), top), trusted: false };
    default:
      return { event: invokeEventFrom(null), trusted: false };
  }
}

describe('IPC fuzz: every contract channel, random payloads, good and bad senders', () => {
  it('always answers a typed envelope, never throws, and leaves the app intact', async () => {
    const fake = createFakeElectron();
    const logger = createMemoryLogger('warn');
    const store = createMemoryStore();
    const opened: string[] = [];
    const core = await createConsoleCore({
      host: 'electron',
      productName: 'Fuzz',
      version: '0.0.0',
      logger,
      store,
      openExternal: async (url) => void opened.push(url),
    });
    registerIpcHandlers(fake.module.ipcMain as unknown as IpcMain, core, logger);

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methodNames),
        sender,
        payload,
        async (method, senderKind, input) => {
          const handler = fake.ipcHandlers.get(`${INVOKE_CHANNEL_PREFIX}${method}`);
          if (!handler) throw new Error(`missing handler for ${method}`);
          const { event, trusted } = eventFor(senderKind);
          const reply = await handler(event, input);
          const envelope = EnvelopeSchema.safeParse(reply);
          expect(envelope.success).toBe(true);
          if (!envelope.data?.ok) expect(ErrorCode.options).toContain(envelope.data?.error.code);
          if (!trusted) expect(reply).toMatchObject({ ok: false, error: { code: 'bad_sender' } });
          // Nothing a payload carries may reach Object.prototype.
          expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysBefore);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 600 },
    );

    // The stored preferences are still a valid shape, the core still answers, and only
    // allowlisted links ever reached the operating system.
    const stored = store.get('preferences');
    if (stored !== undefined) expect(Preferences.safeParse(stored).success).toBe(true);
    const info = await fake.ipcHandlers.get(`${INVOKE_CHANNEL_PREFIX}app.info`)?.(eventFor('app').event, {});
    expect(info).toMatchObject({ ok: true, value: { productName: 'Fuzz' } });
    for (const url of opened) expect(checkExternalUrl(url, DEFAULT_EXTERNAL_HOSTS).allowed).toBe(true);
  });

  it('refuses channels outside the contract: nothing but contract channels is registered', () => {
    const fake = createFakeElectron();
    registerIpcHandlers(
      fake.module.ipcMain as unknown as IpcMain,
      { dispatch: async () => ({ ok: true, value: null }), operator: () => ({ id: 'x', role: 'support' }) },
      createMemoryLogger(),
    );
    for (const channel of fake.ipcHandlers.keys()) {
      expect(channel.startsWith(INVOKE_CHANNEL_PREFIX)).toBe(true);
      expect(methodNames).toContain(channel.slice(INVOKE_CHANNEL_PREFIX.length));
    }
  });
});
