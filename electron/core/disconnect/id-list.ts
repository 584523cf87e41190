import { ConsoleError } from '../../../shared/contract/errors.ts';

/** One line of an operator's list: a user id or an email, with the line it came from. */
export interface ListEntry {
  line: number;
  value: string;
  kind: 'id' | 'email';
}

const HEADER_WORDS = new Set([
  'userid',
  'user_id',
  'user id',
  'id',
  'email',
  'e-mail',
  'mail',
  'emailaddress',
]);
export const MAX_LIST_ENTRIES = 200_000;

/**
 * Turns a file's bytes into text: UTF-8 (with or without a BOM) or UTF-16 with its BOM. Anything
 * else (Latin-1, UTF-16 without a BOM, a spreadsheet's binary format) is refused with what was
 * found, never guessed: a mis-decoded email would silently match nobody or somebody else.
 */
export function decodeListFile(bytes: Uint8Array, name = 'The file'): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    throw new ConsoleError(
      'bad_input',
      `${name} is a ZIP or spreadsheet (.xlsx), not a CSV: save it as "CSV UTF-8" first.`,
    );
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new ConsoleError(
      'bad_input',
      `${name} has NUL bytes (at byte ${nul}): it looks like UTF-16 without a byte-order mark. Save it as "CSV UTF-8".`,
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new ConsoleError(
      'bad_input',
      `${name} is not UTF-8 text (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}, line ${lineAt(bytes, bad)}); it is probably Latin-1/Windows-1252. Save it as "CSV UTF-8" and try again.`,
    );
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return 0;
}

/** First cell of a CSV line (quotes honoured, comma, semicolon or tab as separator). */
function firstCell(line: string): string {
  const text = line.trim();
  if (text.startsWith('"')) {
    let out = '';
    for (let i = 1; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"') {
        if (text[i + 1] === '"') {
          out += '"';
          i++;
          continue;
        }
        return out.trim();
      }
      out += ch;
    }
    return out.trim();
  }
  const end = text.search(/[,;\t]/);
  return (end < 0 ? text : text.slice(0, end)).trim();
}

/**
 * A list of user ids and/or emails, one per line (a CSV whose first column holds them is fine).
 * A BOM, blank lines, Windows line ends, a header line and mixed ids and emails are accepted.
 */
export function parseIdList(text: string): ListEntry[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  const entries: ListEntry[] = [];
  lines.forEach((line, index) => {
    const cell = firstCell(line);
    if (cell === '') return;
    if (entries.length === 0 && HEADER_WORDS.has(cell.toLowerCase())) return;
    if (entries.length >= MAX_LIST_ENTRIES)
      throw new ConsoleError('bad_input', `The list has more than ${MAX_LIST_ENTRIES} entries; split it.`);
    entries.push({ line: index + 1, value: cell, kind: cell.includes('@') ? 'email' : 'id' });
  });
  return entries;
}
