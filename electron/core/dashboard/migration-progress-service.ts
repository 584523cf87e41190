import type { DashboardSummary, HistoryDay } from '../../../shared/contract/dashboard.ts';
import { MigrationHistoryDay, type Migration } from '../../../shared/domain/platform.ts';
import type { Logger } from '../log/logger.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { RosterQueryEngine } from '../roster/query/roster-query-engine.ts';
import type { EncryptedStore } from '../store/encrypted-store.ts';
import type { HistorySnapshot } from '../store/history-snapshots-table.ts';
import { addDays, dateInZone } from './calendar-dates.ts';
import { computeForecast } from './forecast.ts';
import { rosterCounts } from './roster-counts.ts';

/** How far back the dashboard's history reaches (the platform keeps at least 45 days). */
export const HISTORY_DAYS = 60;

export interface MigrationProgressOptions {
  logger: Logger;
  store: EncryptedStore | null;
  platform: () => Promise<PlatformClient>;
  migration: () => Promise<Migration>;
  now?: () => Date;
  /** The operator's own time zone (the machine's by default). */
  operatorTimeZone?: string;
  /** Days an announcement went out, from the announcement feature's record (else the store's table). */
  announcementDays?: (from: string, to: string) => string[];
  /** Days scheduled reminders will go out, in the platform's zone (the reminder schedule's jobs). */
  reminderDays?: (timeZone: string) => string[];
}

/**
 * The dashboard's data: the platform's daily snapshots (cached in history_snapshots so the chart
 * survives an offline start), a local snapshot from the roster cache for each day the console
 * syncs, the forecast, and the announcement markers.
 */
export class MigrationProgressService {
  readonly #options: MigrationProgressOptions;
  readonly #now: () => Date;
  /** Used when the store cannot keep history (its database is damaged or locked). */
  readonly #memory = new Map<string, HistorySnapshot>();
  /** The "kept in memory only" warning is given once per failure spell, not once per day written. */
  #warnedMemoryOnly = false;

  constructor(options: MigrationProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** After a sync: caches the platform's history and records today's local snapshot. */
  async afterSync(engine: RosterQueryEngine): Promise<void> {
    const migration = await this.#options.migration();
    const today = dateInZone(this.#now(), migration.timezone);
    const recordedAt = this.#now().toISOString();
    const counts = rosterCounts(engine);
    this.#put({
      date: today,
      source: 'local',
      counts: { byStatus: counts.byStatus, byRole: counts.byRole },
      recordedAt,
    });
    const client = await this.#options.platform();
    const history = await client.getMigrationHistory({ from: addDays(today, -HISTORY_DAYS), to: today });
    for (const day of history.days)
      this.#put({
        date: day.date,
        source: 'platform',
        counts: { byStatus: day.byStatus, byRole: day.byRole },
        recordedAt,
      });
  }

  async summary(): Promise<DashboardSummary> {
    const migration = await this.#options.migration();
    const today = dateInZone(this.#now(), migration.timezone);
    const from = addDays(today, -HISTORY_DAYS);
    const history = this.history(from, today);
    const forecast = computeForecast({
      days: history,
      now: migration.counts.byStatus,
      asOf: migration.asOf,
      cutoffAt: migration.cutoffAt,
      timeZone: migration.timezone,
    });
    const operatorZone = this.#options.operatorTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    return {
      migration,
      history,
      forecast,
      announcementDays: this.#announcementDays(from, addDays(migration.cutoffAt.slice(0, 10), 1)),
      reminderDays: this.#reminderDays(
        today,
        dateInZone(new Date(migration.cutoffAt), migration.timezone),
        migration.timezone,
      ),
      operatorTimeZone: operatorZone === migration.timezone ? null : operatorZone,
    };
  }

  /** One day per date, oldest first: the platform's snapshot where there is one, else the local one. */
  history(from: string, to: string): HistoryDay[] {
    const byDate = new Map<string, HistoryDay>();
    for (const snapshot of this.#list(from, to)) {
      const parsed = MigrationHistoryDay.safeParse({ date: snapshot.date, ...(snapshot.counts as object) });
      if (!parsed.success) {
        this.#options.logger.warn('history snapshot unreadable; skipped', {
          date: snapshot.date,
          source: snapshot.source,
        });
        continue;
      }
      const existing = byDate.get(snapshot.date);
      if (existing !== undefined && existing.source === 'platform') continue;
      byDate.set(snapshot.date, {
        date: snapshot.date,
        source: snapshot.source,
        byStatus: parsed.data.byStatus,
        byRole: parsed.data.byRole,
      });
    }
    return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).slice(-400);
  }

  #put(snapshot: HistorySnapshot): void {
    try {
      if (this.#options.store !== null) {
        this.#options.store.guarded((store) => store.history.put(snapshot));
        this.#warnedMemoryOnly = false;
        return;
      }
    } catch (error) {
      if (!this.#warnedMemoryOnly) {
        this.#warnedMemoryOnly = true;
        this.#options.logger.warn('history kept in memory only', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.#memory.set(`${snapshot.date}|${snapshot.source}`, snapshot);
  }

  #list(from: string, to: string): HistorySnapshot[] {
    const stored: HistorySnapshot[] = [];
    try {
      if (this.#options.store !== null)
        stored.push(...this.#options.store.guarded((store) => store.history.list(from, to)));
    } catch {
      // The store is locked or damaged: the memory copy is all there is.
    }
    const memory = [...this.#memory.values()].filter((s) => s.date >= from && s.date <= to);
    return [...stored, ...memory];
  }

  /** Future reminder days up to the cut-off; a journal that cannot be read leaves the chart without them. */
  #reminderDays(today: string, cutoff: string, timeZone: string): string[] {
    try {
      return (this.#options.reminderDays?.(timeZone) ?? [])
        .filter((d) => d >= today && d <= cutoff)
        .slice(0, 100);
    } catch (error) {
      this.#options.logger.warn('reminder days not readable', {
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  }

  #announcementDays(from: string, to: string): string[] {
    try {
      if (this.#options.announcementDays !== undefined)
        return this.#options.announcementDays(from, to).slice(-400);
      return this.#options.store === null
        ? []
        : this.#options.store.guarded((store) => store.announcementDays.list(from, to)).slice(-400);
    } catch {
      return [];
    }
  }
}
