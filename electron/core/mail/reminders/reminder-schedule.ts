import { REMINDER_HOUR } from '../../../../shared/contract/reminders.ts';
import { startOfDayInZone } from '../../../../shared/time/instant-format.ts';
import { addDays, dateInZone, daysBetween } from '../../dashboard/calendar-dates.ts';

/**
 * When the reminder `daysBefore` the cut-off goes out: at REMINDER_HOUR local time (the platform's zone)
 * on the calendar day that many days before the cut-off's own day. The hour is counted from the day's
 * start, so on a day the clocks change it is that hour of elapsed time (9:00 or 11:00 local).
 */
export function reminderInstant(cutoffAt: string, timeZone: string, daysBefore: number): string {
  const cutoffDay = dateInZone(new Date(cutoffAt), timeZone);
  const day = addDays(cutoffDay, -daysBefore);
  return new Date(Date.parse(startOfDayInZone(day, timeZone)) + REMINDER_HOUR * 3_600_000).toISOString();
}

/** Whole days between a run's calendar day and the cut-off's (both in the platform's zone). */
export function daysBeforeCutoff(scheduledAt: string, cutoffAt: string, timeZone: string): number {
  return daysBetween(dateInZone(new Date(scheduledAt), timeZone), dateInZone(new Date(cutoffAt), timeZone));
}
