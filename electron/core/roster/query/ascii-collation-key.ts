/**
 * A cheap, exact stand-in for `Intl.Collator#compare` on plain ASCII identifiers such as e-mail
 * addresses (the platform's are ASCII-folded and lower-case): a key string whose code-unit order
 * is the collator's order, so a million addresses sort with `<` instead of a million × log n
 * collator calls (≈ 2 s at 1M on the dev box).
 *
 * What the collator does differently from a plain code-unit compare, and how the key copes:
 * - punctuation and symbols sort before digits, digits before letters (code units put `@` after
 *   the digits and `_` after the upper case): every allowed character is mapped to its position in
 *   the collator's own order, measured when the key is built;
 * - with `numeric: true` a run of digits compares as a number (`a9` < `a10`): a run becomes a marker,
 *   its length and its digits, so longer numbers sort after shorter ones;
 * - `a01` and `a1` are equal to the collator (leading zeros are ignored): such values, upper case
 *   (a tertiary difference), anything outside `[a-z0-9._@+'-]` and digit runs over 30 long get no
 *   key (`null`), and the caller uses the collator itself for the whole column.
 * The fast path is only offered for locales whose collation of these characters is the root one
 * (no tailoring such as Danish `aa` or Czech `ch`), and every character pair is checked against the
 * collator when the key is built; any disagreement disables it.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const PUNCTUATION = ".-_@+'";
const ALLOWED = LETTERS + DIGITS + PUNCTUATION;
const MAX_DIGIT_RUN = 30;
/** Languages whose default collation leaves `[a-z0-9]` and this punctuation as in the root order. */
const ROOT_LIKE_LANGUAGES = new Set(['en', 'de', 'fr', 'it', 'pt', 'nl', 'es', 'ja', 'zh', 'ko', 'ru', 'el']);
const BASE = 0x40;

export interface AsciiCollationKey {
  (value: string): string | null;
  /**
   * Writes the key's code units as bytes into `out` from `at` (room for `2 * value.length + 2`
   * needed) and returns where it ends, or -1 when the value has no key: many keys packed into one
   * buffer sort without a string per key (a million retained strings cost long scavenges).
   */
  write(value: string, out: Uint8Array, at: number): number;
}

/** The key function for this collator, or null when its order cannot be reproduced safely. */
export function asciiCollationKey(collator: Intl.Collator): AsciiCollationKey | null {
  const options = JSON.stringify(collator.resolvedOptions());
  let cached = keyByOptions.get(options);
  if (cached === undefined) {
    cached = buildKey(collator);
    keyByOptions.set(options, cached);
  }
  return cached;
}

const keyByOptions = new Map<string, AsciiCollationKey | null>();

function buildKey(collator: Intl.Collator): AsciiCollationKey | null {
  const resolved = collator.resolvedOptions();
  const language = resolved.locale.split('-')[0] ?? '';
  if (!ROOT_LIKE_LANGUAGES.has(language) || resolved.collation !== 'default' || !resolved.numeric)
    return null;
  if (resolved.ignorePunctuation || resolved.caseFirst === 'upper') return null;
  // Rank of each character in the collator's order, digits standing as one marker.
  const order = [...LETTERS, '0', ...PUNCTUATION].sort((a, b) => collator.compare(a, b));
  const codes = new Uint16Array(128);
  order.forEach((ch, i) => (codes[ch.charCodeAt(0)] = BASE + i));
  const marker = codes[48] as number;
  const write = (value: string, out: Uint8Array, at: number): number => {
    const n = value.length;
    let length = at;
    for (let i = 0; i < n;) {
      const c = value.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        let end = i + 1;
        while (end < n && value.charCodeAt(end) >= 48 && value.charCodeAt(end) <= 57) end += 1;
        const run = end - i;
        if ((c === 48 && run > 1) || run > MAX_DIGIT_RUN) return -1;
        out[length++] = marker;
        out[length++] = BASE + run;
        for (let j = i; j < end; j += 1) out[length++] = value.charCodeAt(j);
        i = end;
        continue;
      }
      const code = c < 128 ? (codes[c] as number) : 0;
      if (code === 0) return -1;
      out[length++] = code;
      i += 1;
    }
    return length;
  };
  // String keys are built in one reused buffer and turned into a string once (concatenating one
  // character at a time was ~3 µs per address). A digit run of length L takes L + 2 units; the
  // worst case is every other character a digit.
  let buffer = new Uint8Array(64);
  const key: AsciiCollationKey = Object.assign(
    (value: string): string | null => {
      if (buffer.length < 2 * value.length + 2) buffer = new Uint8Array(2 * value.length + 2);
      const length = write(value, buffer, 0);
      if (length < 0) return null;
      return String.fromCharCode.apply(null, buffer.subarray(0, length) as unknown as number[]);
    },
    { write },
  );
  return agreesWithCollator(collator, key) ? key : null;
}

/**
 * Every pair of allowed characters plus some digit runs, sorted by the collator: their keys must be
 * strictly increasing along that order (which, by transitivity, is every pair agreeing).
 */
function agreesWithCollator(collator: Intl.Collator, key: AsciiCollationKey): boolean {
  const samples: string[] = [];
  for (const a of ALLOWED) for (const b of ALLOWED) samples.push(a + b);
  samples.push('a9', 'a10', 'a99b', 'a100', 'x1.y', 'x12@y', 'x1@y', 'x-1', 'x_10', "o'b2", 'ab', 'a', 'a0');
  const keyed = [...new Set(samples)].filter((s) => key(s) !== null).sort((a, b) => collator.compare(a, b));
  for (let i = 1; i < keyed.length; i += 1) {
    const previous = keyed[i - 1] as string;
    const current = keyed[i] as string;
    if (collator.compare(previous, current) === 0 || !((key(previous) as string) < (key(current) as string)))
      return false;
  }
  return true;
}
