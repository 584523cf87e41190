/**
 * Search folding: makes "bjork" find "Björk", "strauss" find "Strauß", "soren" find "Søren" and
 * "o'connor" find "O’Connor", in any script. Steps: NFKD (compatibility forms and accents split
 * off), drop combining marks, full case folding (upper then lower turns ß into ss), the Latin
 * letters NFKD cannot split (ø, æ, ł, …), typographic apostrophes, and Greek final sigma. Queries and
 * rows go through the same function, so dropping the marks of an abugida (Devanagari vowel signs)
 * still matches consistently.
 */
const COMBINING_MARKS = /\p{M}+/gu;
const UNSPLITTABLE: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  ς: 'σ',
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '\u00b4': "'",
};
const UNSPLITTABLE_PATTERN = new RegExp(`[${Object.keys(UNSPLITTABLE).join('')}]`, 'gu');
const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

export function foldForSearch(text: string): string {
  // Most roster text is plain ASCII: lower-casing is the whole fold, and it is 10x cheaper.
  if (ASCII_PRINTABLE.test(text)) return text.toLowerCase();
  const stripped = text.normalize('NFKD').replace(COMBINING_MARKS, '');
  const cased = stripped.toUpperCase().toLowerCase();
  // Case mapping can produce new decomposable letters (e.g. U+0130), so fold once more.
  return cased
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(UNSPLITTABLE_PATTERN, (ch) => UNSPLITTABLE[ch] ?? ch);
}

/**
 * The words of a query, folded; empty words (whitespace, or only combining marks) are dropped.
 * Commas and semicolons separate words too, so a name typed as the table shows it ("Abara, Andrés")
 * finds the user: every word is looked for in every name field, in any order.
 */
export function searchTokens(query: string): string[] {
  return foldForSearch(query)
    .split(/[\s,;]+/u)
    .filter((token) => token.length > 0);
}
