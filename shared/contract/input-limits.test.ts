import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { methods } from './index.ts';

/** Issue 10: what the contract refuses at the door (the dispatcher answers bad_input, never 500). */
const setKey = methods['settings.setPlatformKey'].input;
const rosterGet = methods['roster.get'].input;

describe('settings.setPlatformKey input', () => {
  it.each([
    ['NUL', 'abcd1234\u0000efgh'],
    ['U+202E', 'abcd1234\u202eefgh'],
    ['a line break', 'abcd1234\nefgh'],
    ['a tab', 'abcd1234\tefgh'],
    ['a zero-width space', 'abcd1234\u200befgh'],
  ])('refuses a key with %s, naming the apiKey field', (_what, apiKey) => {
    const result = setKey.safeParse({
      platformUrl: 'https://careers.example.edu/api/calendar-sync/v1',
      apiKey,
    });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join('.') === 'apiKey');
    expect(issue?.message).toMatch(/no spaces, line breaks, control or direction characters/);
  });

  it('accepts any key of visible ASCII (surrounding blanks trimmed)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{8,64}$/), (key) => {
        const result = setKey.safeParse({ platformUrl: 'https://p.example.edu/api', apiKey: ` ${key}\n` });
        expect(result.success).toBe(true);
      }),
    );
  });

  it('allows http:// only for this computer', () => {
    const ok = (platformUrl: string) => setKey.safeParse({ platformUrl, apiKey: 'key-12345678' }).success;
    expect(ok('http://127.0.0.1:4000/api')).toBe(true);
    expect(ok('http://localhost:4000/api')).toBe(true);
    expect(ok('http://careers.example.edu/api')).toBe(false);
    expect(ok('https://careers.example.edu/api')).toBe(true);
  });
});

describe('roster.get input', () => {
  it.each(['.', '..', '../migration', 'a/b', '', 'u 1', 'x'.repeat(101)])(
    'refuses the user id %j',
    (userId) => {
      expect(rosterGet.safeParse({ userId }).success).toBe(false);
    },
  );

  it('accepts platform user ids', () => {
    expect(rosterGet.safeParse({ userId: 'u_01HF3Z8K2Q9W7X5V4B3N2M1P0R' }).success).toBe(true);
  });
});
