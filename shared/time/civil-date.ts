/**
 * The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`),
 * packed as one number `year * 10_000 + month * 100 + day` so hot loops (formatting or checking a
 * million timestamps) allocate nothing. Years before 1 come out as 0 or negative, as Date's do.
 */
export function civilFromDays(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10_000 + month * 100 + day;
}

/** The parts of a packed civil date (see civilFromDays). */
export const yearOf = (civil: number): number => Math.floor(civil / 10_000);
export const monthOf = (civil: number): number => Math.floor(civil / 100) - Math.floor(civil / 10_000) * 100;
export const dayOf = (civil: number): number => civil - Math.floor(civil / 100) * 100;
