import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeListFile, parseIdList } from './id-list.ts';

describe('id/email lists', () => {
  it('accepts a BOM, blank lines, CRLF, a header, quotes and mixed ids and emails', () => {
    const text = '\uFEFFemail,name\r\n\r\nada@example.edu,Ada\r\n"u_01ABC",x\r\n  \r\nGrace@Example.edu;G\n';
    expect(parseIdList(text)).toEqual([
      { line: 3, value: 'ada@example.edu', kind: 'email' },
      { line: 4, value: 'u_01ABC', kind: 'id' },
      { line: 6, value: 'Grace@Example.edu', kind: 'email' },
    ]);
  });

  it('decodes UTF-8 and UTF-16 with a BOM, and refuses Latin-1, BOM-less UTF-16 and xlsx with a clear message', () => {
    expect(decodeListFile(Buffer.from('\uFEFFjosé@example.edu\n', 'utf8'))).toBe('josé@example.edu\n');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('u_1\r\nu_2', 'utf16le')]);
    expect(parseIdList(decodeListFile(utf16)).map((e) => e.value)).toEqual(['u_1', 'u_2']);
    expect(() => decodeListFile(Buffer.from('ok@x.edu\njos\xe9@example.edu\n', 'latin1'))).toThrow(
      /not UTF-8 text \(byte 0xe9 at offset 12, line 2\).*CSV UTF-8/,
    );
    expect(() => decodeListFile(Buffer.from('u_1', 'utf16le'))).toThrow(/UTF-16 without a byte-order mark/);
    expect(() => decodeListFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toThrow(/spreadsheet/);
  });

  it('round-trips any list of ids written one per line, whatever the line ends', () => {
    const id = fc.stringMatching(/^u_[0-9A-Z]{4,26}$/);
    fc.assert(
      fc.property(
        fc.array(id, { minLength: 1, maxLength: 50 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (ids, eol) => {
          const parsed = parseIdList(`\uFEFF${ids.join(eol)}${eol}${eol}`);
          expect(parsed.map((e) => e.value)).toEqual(ids);
          expect(parsed.every((e) => e.kind === 'id')).toBe(true);
        },
      ),
    );
  });
});
