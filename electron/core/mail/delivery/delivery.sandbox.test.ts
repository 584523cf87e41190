import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryInput } from '../../../../shared/contract/mail.ts';
import type { Connection } from '../../../../shared/domain/platform.ts';
import { createDispatcher, type CallContext, type Handlers } from '../../ipc/dispatcher.ts';
import { createMemoryLogger } from '../../log/logger.ts';
import { createDeliveryFeature } from './delivery-feature.ts';
import type { JobState } from '../../jobs/job-store.ts';
import { BUILT_IN_TEMPLATES } from '../default-templates.ts';
import { deliveryHarness, type DeliveryHarness } from './test-support/delivery-harness.ts';

// Real HTTP against the sandbox (platform, Graph, identity): the clients, budgets and the engine are the console's own.
const director: CallContext = { transport: 'test', operator: { id: 'director-1', role: 'director' } };
const template = BUILT_IN_TEMPLATES[0] as (typeof BUILT_IN_TEMPLATES)[number];
const STATUSES = ['legacy', 'reauth_pending', 'disconnected'] as const;

let h: DeliveryHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function input(mode: 'send' | 'drafts' = 'send'): DeliveryInput & { confirmCount: null; scheduledAt: null } {
  return {
    template: { name: template.name, subject: template.subject, body: template.body },
    audience: { filter: { status: [...STATUSES] } },
    mode,
    confirmCount: null,
    scheduledAt: null,
  };
}

/** The first `n` users the default filter selects, each with a distinct usable address. */
function audienceOf(harness: DeliveryHarness, n: number): Connection[] {
  const rows = harness.everyone.filter((c) => (STATUSES as readonly string[]).includes(c.status));
  expect(rows.length).toBeGreaterThanOrEqual(n);
  return rows.slice(0, n);
}

async function settle(harness: DeliveryHarness, jobId: string, until: JobState[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = harness.engine().progress(jobId);
    if (until.includes(progress.state) && !harness.engine().isRunningHere(jobId)) return progress;
    if (Date.now() > deadline) throw new Error(`job still ${progress.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForSent(harness: DeliveryHarness, jobId: string, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((harness.store.counts(jobId).byOutcome['sent'] ?? 0) < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} sent`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

function throttled(harness: DeliveryHarness): number {
  return harness.sandbox.stats.snapshot().requests.byStatus['429'] ?? 0;
}

describe('announcement delivery against the sandbox', () => {
  it('lets Support draft but not send, through the dispatcher’s permission check', async () => {
    h = await deliveryHarness({ factor: 100 });
    h.setRoster(audienceOf(h, 3));
    const feature = createDeliveryFeature({
      logger: createMemoryLogger(),
      composer: h.mail.composer,
      engine: () => (h as DeliveryHarness).engine(),
      graph: () => (h as DeliveryHarness).graph,
    });
    const dispatch = createDispatcher({
      handlers: feature.handlers as unknown as Handlers,
      logger: createMemoryLogger(),
    });
    const support: CallContext = { transport: 'test', operator: { id: 'support-1', role: 'support' } };
    const send = await dispatch('mail.startDelivery', input('send'), support);
    expect(send).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const drafts = await dispatch('mail.startDelivery', input('drafts'), support);
    expect(drafts.ok).toBe(true);
    const bad = await dispatch('mail.startDelivery', { ...input('send'), mode: 'post' }, director);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const id = (drafts as { ok: true; value: { id: string } }).value.id;
    await settle(h, id, ['completed']);
    const status = await dispatch('mail.delivery', { id }, support);
    expect(status).toMatchObject({ ok: true, value: { mode: 'drafts', outcomes: { drafted: 3 } } });
  }, 60_000);

  it('paces sends at 30 a minute of sandbox time with no 429, and records the announcement', async () => {
    // 20× real time: the pacer's margin (1.2 s of sandbox time per minute) is then 60 ms of real time,
    // more than a busy machine delays a request; at 100× it would be 12 ms.
    h = await deliveryHarness({ factor: 20 });
    const people = audienceOf(h, 75);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    const done = await settle(h, job.id, ['completed']);
    expect(done.counts.byOutcome['sent']).toBe(75);
    expect(throttled(h)).toBe(0);
    const perRecipient = await h.perRecipient();
    for (const person of people) expect(perRecipient[person.email.toLowerCase()], person.email).toBe(1);
    // Never more than 30 in any minute: when each message was let go (recorded just before the wire).
    const times = h.store
      .items(job.id)
      .map((item) => Date.parse(String(item.facts['sendingAt'])))
      .sort((a, b) => a - b);
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    for (let i = 0; i + 30 < times.length; i++)
      expect((times[i + 30] as number) - (times[i] as number)).toBeGreaterThan(60_000);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThan(119_000);
    const status = h.service.status(job.id);
    expect(status.outcomes).toMatchObject({ sent: 75, uncertain: 0, failed: 0 });
    expect(status.sender).toMatch(/@/);
    expect(status.resumesAt).toBeNull();
    const announcement = h.mail.announcements.get(status.announcementId as string);
    expect(announcement).toMatchObject({ kind: 'send', audienceSize: 75, excluded: 0 });
    expect([...h.mail.announcements.recipients(status.announcementId as string)].length).toBe(75);
    expect(announcement?.magicLinks).toBe(75);
  }, 60_000);

  it('pauses on 554 5.2.0 until the window frees and resumes by itself, sending nobody twice', async () => {
    // Exchange counted more than this console knows (another app sent from the mailbox): the sandbox
    // refuses at 10 recipients per hour while the console's budget thinks the day's quota is open.
    h = await deliveryHarness({
      factor: 1000,
      graphLimits: { recipientsPerDay: 10, recipientsWindowMs: 3_600_000 },
      recipientsWindowMs: 3_600_000,
    });
    const people = audienceOf(h, 16);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    const paused = await settle(h, job.id, ['scheduled']);
    expect(paused.job.stateReason).toMatch(/554 5\.2\.0.*resumes by itself/);
    const status = h.service.status(job.id);
    expect(status.resumesAt).not.toBeNull();
    expect(Date.parse(status.resumesAt as string)).toBeGreaterThan(h.clock.now());
    expect(status.outcomes.sent).toBe(10);
    // The scheduler (the app's timer, `jobs run-due`) picks it up once the window frees.
    const deadline = Date.now() + 40_000;
    for (;;) {
      await h.engine().runDue();
      if (h.engine().progress(job.id).state === 'completed') break;
      if (Date.now() > deadline) throw new Error('the job never completed');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const perRecipient = await h.perRecipient();
    for (const person of people) expect(perRecipient[person.email.toLowerCase()], person.email).toBe(1);
    expect(h.service.status(job.id).outcomes).toMatchObject({ sent: 16, uncertain: 0, failed: 0 });
    expect(h.sandbox.stats.snapshot().requests.byStatus['403']).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a runner killed mid-send is resumed by another without sending anyone twice', async () => {
    h = await deliveryHarness({ factor: 100 });
    const people = audienceOf(h, 45);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    // Let some go, then take the lease away as if the process had died (its calls are cut off).
    const deadline = Date.now() + 20_000;
    while ((h.store.counts(job.id).byOutcome['sent'] ?? 0) < 33) {
      if (Date.now() > deadline) throw new Error('nothing was sent');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    h.journal.db
      .prepare("UPDATE jobs SET lease_owner = 'dead-runner', lease_until = 0 WHERE id = ?")
      .run(job.id);
    await settle(h, job.id, ['interrupted', 'running', 'paused'], 10_000);
    const other = h.engine('runner-after-restart');
    const final = await other.run(job.id, { operator: true });
    expect(final.state).toBe('completed');
    const perRecipient = await h.perRecipient();
    const items = h.store.items(job.id);
    for (const item of items) {
      const count = perRecipient[(item.personal?.email ?? '').toLowerCase()] ?? 0;
      expect(count, item.target).toBeLessThanOrEqual(1);
      if (item.outcome === 'sent') expect(count, item.target).toBe(1);
      expect(['sent', 'uncertain']).toContain(item.outcome);
    }
    expect(Object.values(perRecipient).every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('re-checks eligibility as each message goes: a user who re-authorized meanwhile is skipped, not mailed', async () => {
    h = await deliveryHarness({ factor: 100 });
    const people = audienceOf(h, 40).filter((c) => c.status === 'legacy');
    expect(people.length).toBeGreaterThan(34);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    // Messages go 2 s of sandbox time apart: the last ones re-authorize long before their turn.
    const late = people.slice(-3);
    const reply = await fetch(`${h.sandbox.adminUrl}/reauthorize`, {
      method: 'POST',
      body: JSON.stringify({ userIds: late.map((c) => c.userId) }),
    });
    expect(reply.ok).toBe(true);
    await settle(h, job.id, ['completed']);
    const perRecipient = await h.perRecipient();
    for (const person of late) {
      expect(perRecipient[person.email.toLowerCase()]).toBeUndefined();
      const item = h.store.items(job.id).find((i) => i.target === person.userId);
      expect(item?.outcome).toBe('skipped_migrated');
    }
    expect(h.service.status(job.id).outcomes.sent).toBe(people.length - 3);
  }, 60_000);

  it('lists duplicates and users without an address without mailing them; a non-ASCII local part and a 50 KB name go out clean', async () => {
    h = await deliveryHarness({ factor: 100 });
    const [a, b, c, d, e, ...rest] = audienceOf(h, 12) as [
      Connection,
      Connection,
      Connection,
      Connection,
      Connection,
    ];
    const roster: Connection[] = [
      { ...a, email: 'jõser.õun@demo-university.edu' },
      { ...b, firstName: `Ana${'x'.repeat(50_000)}\r\nBcc: evil@example.com`, preferredName: null },
      { ...c, email: 'shared@demo-university.edu' },
      { ...d, email: 'SHARED@demo-university.edu' },
      { ...e, email: 'not an address' },
      ...rest,
    ];
    h.setRoster(roster);
    const { confirmCount: _count, scheduledAt: _at, ...planned } = input();
    const plan = await h.service.plan({ ...planned, magicLinkTtlMinutes: 60 });
    expect(plan).toMatchObject({ recipients: 9, excluded: { duplicateEmail: 2, noEmail: 1, suppressed: 0 } });
    expect(plan.earliestFinishAt).not.toBeNull();
    const job = await h.service.start(input(), director);
    await settle(h, job.id, ['completed']);
    const byUser = new Map(h.store.items(job.id).map((i) => [i.target, i.outcome]));
    expect(byUser.get(c.userId)).toBe('skipped_duplicate');
    expect(byUser.get(d.userId)).toBe('skipped_duplicate');
    expect(byUser.get(e.userId)).toBe('skipped_no_email');
    expect(byUser.get(a.userId)).toBe('sent');
    expect(byUser.get(b.userId)).toBe('sent');
    const perRecipient = await h.perRecipient();
    expect(perRecipient['jõser.õun@demo-university.edu']).toBe(1);
    expect(perRecipient['shared@demo-university.edu']).toBeUndefined();
    expect(perRecipient['evil@example.com']).toBeUndefined();
    // What Graph stored: the long name cut and on one line, in the To display name and the greeting.
    const token = h.sandbox.mintOperatorToken('director');
    const listed = (await (
      await fetch(`${h.sandbox.graphUrl}/me/messages?$top=50`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as {
      value: Array<{
        subject: string;
        toRecipients: Array<{ emailAddress: { name: string; address: string } }>;
      }>;
    };
    const toB = listed.value.find((m) => m.toRecipients[0]?.emailAddress.address === b.email.trim());
    expect(toB).toBeDefined();
    const name = toB?.toRecipients[0]?.emailAddress.name ?? '';
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name).not.toMatch(/[\r\n]/);
    for (const message of listed.value) expect(message.subject).not.toMatch(/[\r\n]/);
  }, 60_000);

  it('a platform outage mid-send pauses the job; resuming later sends nobody twice', async () => {
    h = await deliveryHarness({ factor: 100, proxy: true });
    const proxy = h.proxy as NonNullable<DeliveryHarness['proxy']>;
    const people = audienceOf(h, 40);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    await waitForSent(h, job.id, 20);
    proxy.down = true;
    const paused = await settle(h, job.id, ['paused']);
    // A sustained outage: the engine's breaker (transient failures in a row) pauses it; nobody is failed.
    expect(paused.job.stateReason).toMatch(
      /^Paused after \d+ failures in a row; the last: The platform did not answer/,
    );
    expect(paused.counts.failed).toBe(0);
    expect(paused.counts.inFlight).toBe(0);
    const sentBefore = h.store.counts(job.id).byOutcome['sent'] ?? 0;
    expect(sentBefore).toBeLessThan(40);
    proxy.down = false;
    const resumed = await h.engine().run(job.id, { operator: true });
    expect(resumed.state).toBe('completed');
    const perRecipient = await h.perRecipient();
    for (const person of people) expect(perRecipient[person.email.toLowerCase()], person.email).toBe(1);
    expect(h.service.status(job.id).outcomes.sent).toBe(40);
  }, 60_000);

  it('pausing a running send stops within a second (items waiting for their slot go back to pending); resuming sends each recipient once', async () => {
    // 4× real time: the pacer lets one message go every 0.51 s of real time, so six workers queued
    // for their slot would take about 3 s to drain if a pause had to wait for them.
    h = await deliveryHarness({ factor: 4 });
    const people = audienceOf(h, 10);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    await waitForSent(h, job.id, 3);
    const asked = performance.now();
    h.engine().pause(job.id);
    const paused = await settle(h, job.id, ['paused'], 5_000);
    const tookMs = performance.now() - asked;
    expect(tookMs).toBeLessThan(1_000);
    expect(paused.job.stateReason).toBe('Paused by an operator.');
    // Nobody left in flight, and no message leaves after the pause: the sandbox's count stays still.
    expect(paused.counts.inFlight).toBe(0);
    const sentAtPause = paused.counts.byOutcome['sent'] ?? 0;
    expect(paused.counts.pending).toBe(10 - sentAtPause);
    const mailedAtPause = sum(await h.perRecipient());
    expect(mailedAtPause).toBe(sentAtPause);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sum(await h.perRecipient())).toBe(mailedAtPause);
    expect(h.store.items(job.id).filter((i) => 'sendingAt' in i.facts)).toHaveLength(sentAtPause);

    const resumed = await h.engine().run(job.id, { operator: true });
    expect(resumed.state).toBe('completed');
    const perRecipient = await h.perRecipient();
    for (const person of people) expect(perRecipient[person.email.toLowerCase()], person.email).toBe(1);
    expect(h.service.status(job.id).outcomes).toMatchObject({ sent: 10, uncertain: 0, failed: 0 });
  }, 60_000);

  it('cancelling a running send stops within a second and mails nobody else', async () => {
    h = await deliveryHarness({ factor: 4 });
    const people = audienceOf(h, 8);
    h.setRoster(people);
    const job = await h.service.start(input(), director);
    await waitForSent(h, job.id, 2);
    const asked = performance.now();
    h.engine().cancel(job.id);
    const cancelled = await settle(h, job.id, ['cancelled'], 5_000);
    expect(performance.now() - asked).toBeLessThan(1_000);
    const sent = cancelled.counts.byOutcome['sent'] ?? 0;
    expect(cancelled.counts).toMatchObject({ inFlight: 0, pending: 8 - sent });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sum(await h.perRecipient())).toBe(sent);
    await expect(h.engine().run(job.id, { operator: true })).rejects.toThrow(/never runs again/);
  }, 60_000);

  it('one eligibility check lost to a platform blip does not pause the send: that user is tried again after the others', async () => {
    h = await deliveryHarness({ factor: 100, proxy: true });
    const proxy = h.proxy as NonNullable<DeliveryHarness['proxy']>;
    const people = audienceOf(h, 12);
    h.setRoster(people);
    // Both of the client's attempts for the second user fail, as in a one-off platform hiccup.
    const unlucky = people[1] as Connection;
    proxy.failFor(unlucky.userId, 2);
    const job = await h.service.start(input(), director);
    const done = await settle(h, job.id, ['completed', 'paused']);
    expect(done.state).toBe('completed');
    const item = h.store.items(job.id).find((i) => i.target === unlucky.userId);
    expect(item).toMatchObject({ outcome: 'sent', attempts: 2 });
    const perRecipient = await h.perRecipient();
    for (const person of people) expect(perRecipient[person.email.toLowerCase()], person.email).toBe(1);
  }, 60_000);

  it('a scheduled delivery (a reminder) picks its audience when it runs: users migrated meanwhile are not in it', async () => {
    h = await deliveryHarness({ factor: 100 });
    const people = audienceOf(h, 10);
    h.setRoster(people);
    const at = new Date(h.clock.now() + 120_000).toISOString();
    const suppressed = (people[9] as Connection).email;
    const job = await h.service.start(
      {
        ...input(),
        audience: { filter: { status: [...STATUSES] }, suppressed: [suppressed] },
        scheduledAt: at,
      },
      director,
    );
    // The suppression list is personal: sealed in the job, never in its parameters in clear.
    const stored = h.journal.db.prepare('SELECT params FROM jobs WHERE id = ?').get(job.id) as {
      params: string;
    };
    expect(stored.params).not.toContain(suppressed);
    expect(job).toMatchObject({ state: 'scheduled', total: 0, scheduledAt: at });
    expect(await h.engine().runDue()).toEqual([]);
    // Meanwhile the roster learns that three of them re-authorized.
    const moved = new Set(people.slice(0, 3).map((c) => c.userId));
    h.setRoster(people.map((c) => (moved.has(c.userId) ? { ...c, status: 'migrated' } : c)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ran = await h.engine().runDue();
      if (ran.length > 0) break;
      if (Date.now() > deadline) throw new Error('the scheduled delivery never ran');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const status = h.service.status(job.id);
    expect(status.job).toMatchObject({ state: 'completed', total: 7 });
    expect(status.outcomes).toMatchObject({ sent: 6, skipped_suppressed: 1 });
    const perRecipient = await h.perRecipient();
    for (const person of people)
      expect(perRecipient[person.email.toLowerCase()] ?? 0, person.userId).toBe(
        moved.has(person.userId) || person.email === suppressed ? 0 : 1,
      );
    expect(h.mail.announcements.get(status.announcementId as string)).toMatchObject({
      kind: 'send',
      audienceSize: 6,
      excluded: 1,
    });
  }, 60_000);

  it('saves drafts (one per recipient) and sends a test to the operator only, marked as a test', async () => {
    h = await deliveryHarness({ factor: 100 });
    const people = audienceOf(h, 5);
    h.setRoster(people);
    const test = await h.service.testSend(
      {
        template: { subject: template.subject, body: template.body },
        overrides: {},
        userId: (people[0] as Connection).userId,
        sharedMailbox: null,
      },
      director,
    );
    expect(test.subject.startsWith('[TEST] ')).toBe(true);
    expect(test.renderedFor.userId).toBe((people[0] as Connection).userId);
    expect((await h.perRecipient())[test.sentTo.toLowerCase()]).toBe(1);
    expect((await h.perRecipient())[(people[0] as Connection).email.toLowerCase()]).toBeUndefined();
    const job = await h.service.start(input('drafts'), director);
    await settle(h, job.id, ['completed']);
    const drafts = await h.perRecipient('draft-recipient');
    for (const person of people) expect(drafts[person.email.toLowerCase()]).toBe(1);
    expect(h.service.status(job.id)).toMatchObject({ mode: 'drafts', outcomes: { drafted: 5 } });
  }, 60_000);
});
