import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeSchema, ErrorCode, methodNames } from '../../shared/contract/index.ts';
import { STATUS_BY_CODE } from './replies.ts';
import { rawRequest, startTestHost, type RawResponse, type TestHost } from './testing.ts';

/**
 * Whatever arrives over HTTP, the host answers a typed envelope whose status matches its code, and
 * keeps answering. Every contract method is a target, plus names that are not methods.
 */

const methodName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...methodNames) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'app',
      'app.',
      '.info',
      'app.info.x',
      'preferences.get%00',
      '%2e%2e',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{0,40}$/) },
);

/** Near-valid shapes find more than pure noise: right keys with wrong values, extra keys, deep nesting. */
const payload = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      theme: fc.oneof(
        fc.constantFrom('system', 'light', 'dark', 'high-contrast'),
        fc.string(),
        fc.jsonValue(),
      ),
      navCollapsed: fc.oneof(fc.boolean(), fc.jsonValue()),
      url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 3000 }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 4 })),
);

const rawBody = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
);

function assertTypedEnvelope(response: RawResponse): void {
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  const parsed = EnvelopeSchema.safeParse(response.json());
  expect(parsed.success, response.body).toBe(true);
  if (!parsed.success) return;
  if (parsed.data.ok) {
    expect(response.status).toBe(200);
    return;
  }
  expect(ErrorCode.options).toContain(parsed.data.error.code);
  expect(response.status).toBe(STATUS_BY_CODE[parsed.data.error.code]);
  expect(response.body).not.toMatch(/\n\s+at |node:internal|\.ts:\d+:\d+/);
}

describe('browser host fuzz', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers random JSON payloads to every method with typed envelopes', async () => {
    await fc.assert(
      fc.asyncProperty(methodName, payload, async (method, input) => {
        assertTypedEnvelope(await t.call(method, input));
      }),
      { numRuns: 300 },
    );
    for (const method of methodNames) {
      assertTypedEnvelope(await t.call(method, {}));
    }
  });

  it('answers random bytes as bodies with typed envelopes', async () => {
    await fc.assert(
      fc.asyncProperty(methodName, rawBody, async (method, body) => {
        const response = await rawRequest(t.host.port, {
          method: 'POST',
          path: `/api/invoke/${method}`,
          headers: { ...t.pageHeaders(), 'Content-Type': 'application/json' },
          body,
        });
        assertTypedEnvelope(response);
      }),
      { numRuns: 200 },
    );
  });

  it('still answers a valid call after the fuzzing', async () => {
    const reply = await t.call('preferences.set', { theme: 'dark', navCollapsed: false });
    expect(reply.json()).toEqual({ ok: true, value: { theme: 'dark', navCollapsed: false } });
    expect((await t.call('preferences.get', {})).json()).toEqual({
      ok: true,
      value: { theme: 'dark', navCollapsed: false },
    });
  });
});
