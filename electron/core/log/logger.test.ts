import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger, redact } from './logger.ts';

describe('redact', () => {
  it('hides the whole bearer value, past spaces and line breaks', () => {
    const line = String(redact('Invalid header value: "Bearer abc123\nSECRETTAIL more"'));
    expect(line).not.toContain('abc123');
    expect(line).not.toContain('SECRETTAIL');
    expect(line).toContain('Bearer [redacted]');
    expect(String(redact('Bearer abc SECRETTAIL'))).toBe('Bearer [redacted]');
  });

  it('hides header-shaped secrets written into a message', () => {
    const line = String(redact('sent Authorization: k3y\tSECRET and x-api-key=zzz\r\nTAIL'));
    expect(line).not.toMatch(/k3y|SECRET|zzz|TAIL/);
  });

  it('never lets any part of a key after "Bearer " through, whatever it contains', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40 }).filter((s) => !/["'`]/.test(s) && s.trim().length > 5),
        (key) => {
          const marked = `SENTINEL${key}`;
          const out = String(redact(`failed: Bearer ${marked}`));
          expect(out).not.toContain('SENTINEL');
        },
      ),
    );
  });

  it('redacts fields and error messages in log lines', () => {
    const logger = createMemoryLogger();
    logger.error('request failed', {
      error: new TypeError('Headers.append: "Bearer abc\nSECRETTAIL" is an invalid header value.'),
      apiKey: 'abc\nSECRETTAIL',
    });
    const line = logger.lines.join('');
    expect(line).not.toContain('SECRETTAIL');
    expect(line).not.toContain('abc');
  });
});
