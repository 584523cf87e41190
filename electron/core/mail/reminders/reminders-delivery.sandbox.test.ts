import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../../shared/contract/errors.ts';
import type { JobSummary, ReminderSchedule } from '../../../../shared/contract/index.ts';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { createDispatcher, type CallContext, type Dispatch } from '../../ipc/dispatcher.ts';
import { createMemoryLogger } from '../../log/logger.ts';
import { BUILT_IN_TEMPLATES } from '../default-templates.ts';
import { deliveryHarness, type DeliveryHarness } from '../delivery/test-support/delivery-harness.ts';
import { reminderInstant } from './reminder-schedule.ts';
import { createRemindersFeature } from './reminders-feature.ts';

// Reminders over the real delivery kind, job engine and sandbox (platform, Graph, identity) over HTTP.
const director: CallContext = { transport: 'test', operator: { id: 'director-1', role: 'director' } };
const template = BUILT_IN_TEMPLATES[0] as (typeof BUILT_IN_TEMPLATES)[number];

let h: DeliveryHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function value<T>(reply: Envelope<unknown>): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
}

describe('a reminder run through the real delivery kind', () => {
  it('is a scheduled send whose audience is decided when it runs: users migrated meanwhile get nothing', async () => {
    h = await deliveryHarness({ factor: 100 });
    const harness = h;
    const people = harness.everyone.filter((c) => c.status === 'legacy').slice(0, 6);
    expect(people).toHaveLength(6);
    harness.setRoster(people);
    const migration = await harness.platform.getMigration();
    // The console's clock for the reminder feature, moved forward when the test says a day has come.
    let ahead = 0;
    const now = () => new Date(harness.clock.now() + ahead);
    const reminders = createRemindersFeature({
      logger: createMemoryLogger(),
      db: () => harness.journal.db,
      engine: () => harness.engine(),
      migration: () => harness.platform.getMigration(),
      startDelivery: (input, context) => harness.service.start(input, context),
      now,
    });
    const dispatch: Dispatch = createDispatcher({
      handlers: reminders.handlers as never,
      logger: createMemoryLogger(),
      scope: () => 'platform',
    });
    const set = value<ReminderSchedule & { created: string[]; skippedPast: number[] }>(
      await dispatch(
        'reminders.setSchedule',
        {
          days: [7, 1],
          template: { name: template.name, subject: template.subject, body: template.body },
          audience: { filter: { status: ['legacy', 'reauth_pending', 'disconnected'] } },
          magicLinkTtlMinutes: null,
        },
        director,
      ),
    );
    expect(set.created).toHaveLength(2);
    expect(set.upcoming.map((r) => [r.daysBefore, r.state])).toEqual([
      [7, 'scheduled'],
      [1, 'scheduled'],
    ]);
    // Scheduled with no recipients yet: nobody is chosen before the run.
    expect(harness.engine().store.require(set.created[0] as string).total).toBe(0);

    // Two users re-authorize before the 7-day reminder is due.
    const migrated = new Set(people.slice(0, 2).map((p) => p.userId));
    harness.setRoster(
      people.map((p): Connection => (migrated.has(p.userId) ? { ...p, status: 'migrated' } : p)),
    );
    expect(value<{ ran: JobSummary[] }>(await dispatch('reminders.runDue', {}, director)).ran).toEqual([]);
    const sevenDays = Date.parse(reminderInstant(migration.cutoffAt, migration.timezone, 7));
    ahead = sevenDays + 60_000 - harness.clock.now();
    const ran = value<{ ran: JobSummary[] }>(await dispatch('reminders.runDue', {}, director)).ran;
    expect(ran.map((job) => [job.state, job.counts['sent']])).toEqual([['completed', 4]]);
    const perRecipient = await harness.perRecipient();
    for (const person of people) {
      const got = perRecipient[person.email.toLowerCase()] ?? 0;
      expect(got, person.userId).toBe(migrated.has(person.userId) ? 0 : 1);
    }
    // The 1-day reminder is still to come; the 7-day one is in the past, with what it sent.
    const after = value<ReminderSchedule>(await dispatch('reminders.schedule', {}, director));
    expect(after.upcoming.map((r) => r.daysBefore)).toEqual([1]);
    expect(after.past.map((r) => [r.daysBefore, r.state, r.sent])).toEqual([[7, 'completed', 4]]);
  }, 60_000);
});
