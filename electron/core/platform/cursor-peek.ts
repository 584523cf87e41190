/**
 * Reads a page's `nextCursor` from the end of its JSON text without parsing the page, so the next
 * page can be requested while this one (about half a megabyte at 1,000 rows) is parsed and checked.
 *
 * Only the common layout is recognised: `"nextCursor"` as the last member of the top-level object,
 * with a string or null value. Anything else answers `undefined` ("can't tell"); the caller then
 * waits for the parsed page. A misreading is harmless too: the caller compares the peeked cursor
 * with the parsed page's and drops a request made with a wrong one.
 */
const TAIL = 4096;
// A raw control character inside the string makes the reply malformed JSON: parsing then fails the
// page, and with it the request made ahead.
const LAST_MEMBER = /"nextCursor"\s*:\s*(null|"(?:[^"\\]|\\.)*")\s*\}\s*$/;

export function peekNextCursor(text: string): string | null | undefined {
  const match = LAST_MEMBER.exec(text.length > TAIL ? text.slice(-TAIL) : text);
  const literal = match?.[1];
  if (literal === undefined) return undefined;
  if (literal === 'null') return null;
  if (!literal.includes('\\')) return literal.slice(1, -1);
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
