import { pick } from './prng.ts';

/**
 * Name pools for the demo university. Real rosters are messy, so the pools deliberately carry
 * particles ("van der", "de la"), apostrophes, hyphens, diacritics, non-Latin scripts (the
 * `unicode_names.json` list of the shared testdata/names folder, copied here so the sandbox has no
 * runtime dependency on test material), single names and missing first names.
 */
const FIRST = [
  'Aaliyah',
  'Aarav',
  'Abdullah',
  'Adaeze',
  'Aditi',
  'Ahmed',
  'Aiko',
  'Alejandro',
  'Alexandra',
  'Amara',
  'Ana',
  'Andrés',
  'Anh',
  'Anika',
  'Arjun',
  'Astrid',
  'Ava',
  'Ayşe',
  'Beatriz',
  'Benjamin',
  'Bích',
  'Bjørn',
  'Brianna',
  'Carlos',
  'Chen',
  'Chidi',
  'Chloé',
  'Connor',
  'Daniel',
  'Darius',
  'Dmitri',
  'Elena',
  'Eleanor',
  'Emeka',
  'Emily',
  'Émilie',
  'Esperanza',
  'Ethan',
  'Fatima',
  'Felipe',
  'François',
  'Gabriel',
  'Grace',
  'Hannah',
  'Hiroshi',
  'Ibrahim',
  'Ingrid',
  'Isabella',
  'Jamal',
  'James',
  'Ji-woo',
  'João',
  'Jorge',
  'José',
  'Julia',
  'Kai',
  'Kateřina',
  'Kwame',
  'Lakshmi',
  'Leila',
  'Liam',
  'Lucía',
  'Malik',
  'María',
  'Mariana',
  'Mateo',
  'Mei',
  'Mohammed',
  'Nadia',
  'Naomi',
  'Nguyễn',
  'Noah',
  'Olivia',
  'Oluwaseun',
  'Omar',
  'Priya',
  'Rafael',
  'Rania',
  'Rohan',
  'Sakura',
  'Samuel',
  'Sarah',
  'Seo-yeon',
  'Siobhán',
  'Sofía',
  'Søren',
  'Tariq',
  'Thandiwe',
  'Thomas',
  'Valentina',
  'Wei',
  'William',
  'Xochitl',
  'Yara',
  'Yusuf',
  'Zanele',
  'Zoë',
  'Łukasz',
  'Žofia',
  'Åsa',
  'Mary-Kate',
  "D'Andre",
  'Jean-Luc',
  'Anne-Marie',
];

const LAST = [
  'Abara',
  'Adeyemi',
  'Alvarez',
  'Andersen',
  'Bakshi',
  'Baptiste',
  'Becker',
  'Brown',
  'Castillo',
  'Chen',
  'Chowdhury',
  'Cohen',
  'Dąbrowski',
  'Davis',
  'Dubois',
  'Eriksson',
  'Fernández',
  'Fischer',
  'García',
  'Goldberg',
  'González',
  'Gupta',
  'Haddad',
  'Hernández',
  'Huang',
  'Ivanova',
  'Jackson',
  'Jansen',
  'Johnson',
  'Kang',
  'Khan',
  'Kim',
  'Kowalczyk',
  'Kumar',
  'Le',
  'Lee',
  'Li',
  'López',
  'Martin',
  'Martínez',
  'Mbeki',
  'Müller',
  'Nakamura',
  'Nguyen',
  'Novák',
  'Nwosu',
  'Okafor',
  'Olsen',
  'Patel',
  'Pérez',
  'Petrov',
  'Popescu',
  'Quispe',
  'Ramírez',
  'Reddy',
  'Rodríguez',
  'Rossi',
  'Sánchez',
  'Santos',
  'Schmidt',
  'Singh',
  'Smith',
  'Suzuki',
  'Tanaka',
  'Taylor',
  'Thompson',
  'Tran',
  'Türk',
  'Volkov',
  'Wang',
  'Williams',
  'Wilson',
  'Wójcik',
  'Yamamoto',
  'Yılmaz',
  'Zhang',
  'Øvergaard',
  'Šimić',
  // particles, apostrophes and hyphens
  'van der Berg',
  'van den Heuvel',
  'de la Cruz',
  'de la Fuente',
  'von Trapp',
  'da Silva',
  'dos Santos',
  'di Maggio',
  'Le Blanc',
  'al-Farsi',
  'bin Laden-Smith',
  'ten Brink',
  "O'Brien",
  "O'Connor",
  'O’Sullivan',
  "D'Angelo",
  'McDonald',
  'MacLeod',
  'Smith-Jones',
  'García-Márquez',
  'Hauch-Fausbøll',
  'Lloyd-Webber',
  'St. John',
];

const NICKNAMES = [
  'Alex',
  'Sam',
  'Jo',
  'Bea',
  'Lu',
  'Dani',
  'Max',
  'Kat',
  'Mo',
  'Sasha',
  'Tomi',
  'Nico',
  'Vee',
  'Jay',
  'Ade',
];

/** People known by one name only; the platform stores them with an empty first name. */
const SINGLE = [
  'Björk',
  'Madonna',
  'Pelé',
  'Sukarno',
  'Teller',
  'Zendaya',
  'Cher',
  'Ronaldinho',
  'Suharto',
  'Raffi',
];

/** From the shared testdata/names folder/unicode_names.json (real names in many scripts). */
export const UNICODE_NAMES = [
  'Արամ Խաչատրյան',
  'Johann Strauß',
  'Vaqif Səmədoğlu',
  'Вагиф Сәмәдоғлу',
  'Heydər Əliyev',
  'Һејдәр Әлијев',
  'René Magritte',
  'সুকুমার রায়',
  'མགོན་པོ་རྡོ་རྗེ།',
  'ព្រះ\u200bពុទ្ឋឃោសាចារ\u200c្យ\u200bជួន\u200bណាត',
  'Céline Dion',
  'ᓱᓴᓐ ᐊᒡᓗᒃᑲᖅ',
  'ᏍᏏᏉᏯ',
  '章子怡',
  '王菲',
  'Antonín Dvořák',
  'Søren Hauch-Fausbøll',
  'عبدالحليم حافظ',
  'أم كلثوم',
  'ብርሃነ ዘርኣይ',
  'ኃይሌ ገብረሥላሴ',
  '⠇⠕⠥⠊⠎⠀⠃⠗⠁⠊⠇⠇⠑',
  'ედუარდ შევარდნაძე',
  'Γιώργος Νταλάρας',
  'András Sütő',
  'Björk Guðmundsdóttir',
  'माधुरी दीक्षित',
  'محسن مخملباف',
  'Sinéad O’Connor',
  'יהורם גאון',
  '久保田    利伸',
  '林原 めぐみ',
  '宮崎　駿',
  '森鷗外',
  'テクス・テクサン',
  '이설희',
  '솅조ᇰ (세종대왕)',
  'Tor Åge Bringsværd',
  'نصرت فتح علی خان',
  'Pūblius Cornēlius Scīpiō Africānus',
  'Михаил Горбачёв',
  'Ἀρχιμήδης',
  'ธงไชย แม็คอินไตย์',
];

export interface PersonName {
  firstName: string;
  lastName: string;
  preferredName: string | null;
}

/** Draws a name from five draws in [0, 1). */
export function drawName(r: () => number): PersonName {
  const kind = r();
  let firstName: string;
  let lastName: string;
  if (kind < 0.05) {
    const full = pick(UNICODE_NAMES, r());
    const split = full.split(/\s+/u);
    if (split.length < 2) {
      firstName = '';
      lastName = full;
    } else {
      firstName = split[0] ?? '';
      lastName = split.slice(1).join(' ');
    }
  } else if (kind < 0.07) {
    firstName = '';
    lastName = pick(SINGLE, r());
  } else {
    firstName = pick(FIRST, r());
    lastName = pick(LAST, r());
  }
  const preferredName = firstName !== '' && r() < 0.1 ? pick(NICKNAMES, r()) : null;
  return { firstName, lastName, preferredName };
}

const SPECIAL_FOLDS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  đ: 'd',
  ł: 'l',
  þ: 'th',
  ð: 'd',
  ı: 'i',
  œ: 'oe',
  ə: 'e',
  ħ: 'h',
};

/** ASCII-folds a name for an e-mail local part: `Søren Dąbrowski` → `soren`, `dabrowski`. */
export function asciiFold(text: string): string {
  const lower = text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  let out = '';
  for (const ch of lower) {
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if (SPECIAL_FOLDS[ch] !== undefined) out += SPECIAL_FOLDS[ch];
  }
  return out;
}
