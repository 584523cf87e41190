import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError, type Envelope } from '../../../../shared/contract/errors.ts';
import type { ReminderSchedule } from '../../../../shared/contract/reminders.ts';
import type { Migration } from '../../../../shared/domain/platform.ts';
import { EnvKeyWrapper } from '../../crypto/env-key-wrapper.ts';
import { createDispatcher, type CallContext, type Dispatch } from '../../ipc/dispatcher.ts';
import { JobEngine, type JobKind, type RunContext } from '../../jobs/job-engine.ts';
import { JobStore } from '../../jobs/job-store.ts';
import { jobSummary } from '../../jobs/job-summary.ts';
import { JournalDatabase } from '../../journal/journal-database.ts';
import { createMemoryLogger } from '../../log/logger.ts';
import { daysBeforeCutoff, reminderInstant } from './reminder-schedule.ts';
import { createRemindersFeature, type RemindersFeature } from './reminders-feature.ts';

const KEY = Buffer.alloc(32, 9).toString('base64');
const CUTOFF = '2026-12-16T04:59:00Z'; // 23:59 on 15 December in New York
const director: CallContext = { transport: 'test', operator: { id: 'director-1', role: 'director' } };
const support: CallContext = { transport: 'test', operator: { id: 'support-1', role: 'support' } };

let folder: string;
let journal: JournalDatabase;
let engine: JobEngine;
let feature: RemindersFeature;
let dispatch: Dispatch;
let clock: Date;
let online: boolean;
/** Who each scheduled run would reach when it runs: decided then, not when it was scheduled. */
let stillLegacy: string[];
/** Refuse the delivery start after this many more calls (a sign-in that lapses mid-save); null: never. */
let refuseAfter: number | null;
const prepared: string[] = [];

/** Stands in for the delivery kind: a scheduled run's audience is read in `prepare`, as the real kind does. */
function sendKind(): JobKind {
  return {
    name: 'mail.send',
    destructive: false,
    outcomes: ['sent', 'skipped_migrated'],
    describe: (job) => `Send ${String(job.params['templateName'])}`,
    async prepare(context: RunContext) {
      prepared.push(context.job.id);
    },
    async runItem() {
      return { outcome: 'sent', category: 'done', detail: null };
    },
  };
}

const migration = (): Migration =>
  ({ cutoffAt: CUTOFF, timezone: 'America/New_York' }) as unknown as Migration;

const input = (days: number[], body = 'Hi {{FirstName}}') => ({
  days,
  template: { name: 'Reminder', subject: 'Reconnect your calendar', body },
  audience: { filter: { status: ['legacy'] } },
});

async function call<T>(method: string, payload: unknown, context = director): Promise<Envelope<T>> {
  return (await dispatch(method, payload, context)) as Envelope<T>;
}
function value<T>(reply: Envelope<T>): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'reminders-'));
  journal = JournalDatabase.open({ folder, keyWrapper: new EnvKeyWrapper({ CONSOLE_DATA_KEY: KEY }) });
  clock = new Date('2026-11-24T15:00:00Z');
  online = true;
  stillLegacy = ['u1', 'u2'];
  refuseAfter = null;
  prepared.length = 0;
  const now = () => clock;
  engine = new JobEngine({
    store: new JobStore(journal, now),
    logger: createMemoryLogger(),
    kinds: [sendKind()],
    now,
  });
  feature = createRemindersFeature({
    logger: createMemoryLogger(),
    db: () => journal.db,
    engine: () => engine,
    migration: async () => {
      if (!online) throw new Error('platform down');
      return migration();
    },
    startDelivery: async (start, context) => {
      if (refuseAfter !== null && refuseAfter-- <= 0)
        throw new ConsoleError('unauthorized', 'Sign in to do this.');
      expect(start.mode).toBe('send');
      expect(start.confirmCount).toBeNull();
      // The parameters as the delivery service writes them (delivery-service.ts).
      const job = engine.create({
        kind: 'mail.send',
        params: {
          mode: start.mode,
          templateName: start.template.name,
          template: { subject: start.template.subject, body: start.template.body },
          overrides: start.overrides,
          audience: start.audience,
          sharedMailbox: start.sharedMailbox,
          magicLinkTtlMinutes: start.magicLinkTtlMinutes,
        },
        createdBy: context.operator.id,
        createdByName: 'Director',
        items: stillLegacy.map((target) => ({ target, personal: null, facts: {} })),
        scheduledAt: start.scheduledAt,
      });
      return jobSummary(engine, engine.progress(job.id));
    },
    now,
  });
  dispatch = createDispatcher({
    handlers: feature.handlers as never,
    logger: createMemoryLogger(),
    scope: () => 'platform',
  });
});
afterEach(() => {
  journal.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('reminder instants', () => {
  it('go out at 10:00 in the platform zone, counting calendar days back from the cut-off day', () => {
    expect(reminderInstant(CUTOFF, 'America/New_York', 14)).toBe('2026-12-01T15:00:00.000Z');
    expect(reminderInstant(CUTOFF, 'America/New_York', 1)).toBe('2026-12-14T15:00:00.000Z');
    expect(reminderInstant(CUTOFF, 'America/New_York', 0)).toBe('2026-12-15T15:00:00.000Z');
    expect(daysBeforeCutoff('2026-12-08T15:00:00.000Z', CUTOFF, 'America/New_York')).toBe(7);
  });
});

describe('the reminder schedule as scheduled send jobs', () => {
  it('schedules the default days as mail.send jobs, shown soonest first', async () => {
    const before = value(await call<ReminderSchedule>('reminders.schedule', {}));
    expect(before.defaultDays).toEqual([14, 7, 1]);
    expect(before.upcoming).toEqual([]);
    expect(before.cutoffDate).toBe('2026-12-15');
    const set = value(
      await call<ReminderSchedule & { created: string[] }>('reminders.setSchedule', input([14, 7, 1])),
    );
    expect(set.created).toHaveLength(3);
    expect(set.upcoming.map((r) => [r.daysBefore, r.scheduledAt, r.state, r.templateName])).toEqual([
      [14, '2026-12-01T15:00:00.000Z', 'scheduled', 'Reminder'],
      [7, '2026-12-08T15:00:00.000Z', 'scheduled', 'Reminder'],
      [1, '2026-12-14T15:00:00.000Z', 'scheduled', 'Reminder'],
    ]);
    expect(engine.store.list({ kind: 'mail.send' }).every((job) => job.state === 'scheduled')).toBe(true);
    expect(feature.upcomingDays('America/New_York')).toEqual(['2026-12-01', '2026-12-08', '2026-12-14']);
  });

  it('editing keeps unchanged runs, cancels removed ones and creates added ones; a new template replaces all', async () => {
    const first = value(await call<{ created: string[] }>('reminders.setSchedule', input([14, 7, 1])));
    const edited = value(
      await call<ReminderSchedule & { created: string[]; cancelled: string[] }>(
        'reminders.setSchedule',
        input([14, 3, 1]),
      ),
    );
    expect(edited.created).toHaveLength(1);
    expect(edited.cancelled).toHaveLength(1);
    expect(edited.upcoming.map((r) => r.daysBefore)).toEqual([14, 3, 1]);
    expect(edited.past.map((r) => [r.daysBefore, r.state])).toEqual([[7, 'cancelled']]);
    // The kept runs are the very same jobs.
    expect(edited.upcoming.map((r) => r.jobId)).toContain(first.created[0]);

    const retemplated = value(
      await call<ReminderSchedule & { created: string[]; cancelled: string[] }>(
        'reminders.setSchedule',
        input([14, 3, 1], 'Hello again {{FirstName}}'),
      ),
    );
    expect(retemplated.cancelled).toHaveLength(3);
    expect(retemplated.created).toHaveLength(3);
    const cleared = value(
      await call<ReminderSchedule & { cancelled: string[] }>('reminders.setSchedule', input([])),
    );
    expect(cleared.upcoming).toEqual([]);
    expect(cleared.cancelled).toHaveLength(3);
    expect(feature.upcomingDays('America/New_York')).toEqual([]);
  });

  it('keeps runs saved again unchanged, and replaces them when only the suppression list changes', async () => {
    const withList = (list: string[]) => ({
      ...input([7, 1]),
      audience: { filter: { status: ['legacy'] }, suppressed: list },
    });
    const first = value(await call<{ created: string[] }>('reminders.setSchedule', withList(['a@x.edu'])));
    const again = value(
      await call<{ created: string[]; cancelled: string[] }>('reminders.setSchedule', withList(['a@x.edu'])),
    );
    expect([again.created, again.cancelled]).toEqual([[], []]);
    const changed = value(
      await call<{ created: string[]; cancelled: string[] }>(
        'reminders.setSchedule',
        withList(['a@x.edu', 'b@x.edu']),
      ),
    );
    expect(changed.cancelled.sort()).toEqual([...first.created].sort());
    expect(changed.created).toHaveLength(2);
    // The list is never written in clear beside the runs.
    const marks = JSON.stringify(journal.db.prepare('SELECT * FROM mail_reminder_runs').all());
    expect(marks).not.toContain('x.edu');
  });

  it('leaves out days already past, and refuses to schedule without the platform', async () => {
    clock = new Date('2026-12-10T12:00:00Z');
    const set = value(
      await call<ReminderSchedule & { skippedPast: number[] }>('reminders.setSchedule', input([14, 7, 1])),
    );
    expect(set.skippedPast).toEqual([14, 7]);
    expect(set.upcoming.map((r) => r.daysBefore)).toEqual([1]);
    online = false;
    const refused = await call('reminders.setSchedule', input([2]));
    expect(!refused.ok && refused.error.code).toBe('unavailable');
    // Shown from what was last known, with the problem said.
    const shown = value(await call<ReminderSchedule>('reminders.schedule', {}));
    expect(shown.problem).toMatch(/could not be reached/);
    expect(shown.upcoming).toHaveLength(1);
  });

  it('a save that is refused half-way leaves the schedule as it was', async () => {
    const first = value(await call<ReminderSchedule>('reminders.setSchedule', input([14, 7])));
    const before = first.upcoming.map((r) => r.jobId);
    refuseAfter = 1; // the second new run is refused
    const refused = await call('reminders.setSchedule', input([14, 7, 3, 1], 'Changed {{FirstName}}'));
    expect(!refused.ok && refused.error.code).toBe('unauthorized');
    const after = value(await call<ReminderSchedule>('reminders.schedule', {}));
    expect(after.upcoming.map((r) => r.jobId)).toEqual(before);
    // The one run it had made is cancelled again.
    expect(after.past.map((r) => r.state)).toEqual(['cancelled']);
  });

  it('leaves other scheduled sends alone (a send waiting out a quota is not a reminder)', async () => {
    // A send started now and rescheduled by a quota pause: a scheduled mail.send job, but no reminder.
    const other = engine.create({
      kind: 'mail.send',
      params: { templateName: 'First notice', template: { subject: 's', body: 'b' } },
      createdBy: 'director-1',
      createdByName: 'Director',
      items: [{ target: 'u9', personal: null, facts: {} }],
      scheduledAt: '2026-12-08T15:00:00.000Z',
    });
    const set = value(
      await call<ReminderSchedule & { cancelled: string[] }>('reminders.setSchedule', input([7])),
    );
    expect(set.upcoming.map((r) => r.jobId)).not.toContain(other.id);
    expect(set.past.map((r) => r.jobId)).not.toContain(other.id);
    expect(set.cancelled).toEqual([]);
    value(await call('reminders.setSchedule', input([])));
    expect(engine.store.require(other.id).state).toBe('scheduled');
    clock = new Date('2026-12-09T00:00:00Z');
    expect(value<{ ran: unknown[] }>(await call('reminders.runDue', {})).ran).toEqual([]);
    expect(engine.store.require(other.id).state).toBe('scheduled');
  });

  it('skips a due run another runner holds, and runs the rest', async () => {
    value(await call('reminders.setSchedule', input([14, 7])));
    clock = new Date('2026-12-08T16:00:00Z');
    const [first] = engine.store.due(clock);
    // Another process holds the first run's lease.
    expect(engine.store.claim(first!.id, 'other-runner', clock.getTime() + 60_000, clock.getTime())).toBe(
      true,
    );
    const ran = value(await call<{ ran: Array<{ id: string; state: string }> }>('reminders.runDue', {}));
    expect(ran.ran.map((job) => job.state)).toEqual(['completed']);
    expect(ran.ran[0]?.id).not.toBe(first!.id);
  });

  it('is directors only: support may look but not schedule or run', async () => {
    expect((await call('reminders.schedule', {}, support)).ok).toBe(true);
    const refused = await call('reminders.setSchedule', input([7]), support);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
    const run = await call('reminders.runDue', {}, support);
    expect(!run.ok && run.error.code).toBe('forbidden');
  });

  it('runs only due reminders, each preparing its audience when it runs', async () => {
    value(await call('reminders.setSchedule', input([14, 7, 1])));
    expect(value(await call<{ ran: unknown[] }>('reminders.runDue', {})).ran).toEqual([]);
    clock = new Date('2026-12-08T16:00:00Z'); // past the 14- and 7-day runs
    const ran = value(
      await call<{ ran: Array<{ state: string; counts: Record<string, number> }> }>('reminders.runDue', {}),
    );
    expect(ran.ran.map((job) => [job.state, job.counts['sent']])).toEqual([
      ['completed', 2],
      ['completed', 2],
    ]);
    expect(prepared).toHaveLength(2);
    const schedule = value(await call<ReminderSchedule>('reminders.schedule', {}));
    expect(schedule.upcoming.map((r) => r.daysBefore)).toEqual([1]);
    expect(schedule.past.map((r) => [r.daysBefore, r.state, r.sent])).toEqual([
      [7, 'completed', 2],
      [14, 'completed', 2],
    ]);
    expect(feature.upcomingDays('America/New_York')).toEqual(['2026-12-14']);
  });
});
