import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryPlan, DeliveryStatus, JobSummary } from '../../shared/contract/index.ts';
import type { Sandbox } from '../../electron/sandbox/index.ts';
import { makeCore, signInWithBrowser, startAuthSandbox, type TestCore } from './auth-harness.ts';

/**
 * The composition as the app builds it: the director signs in with MSAL against the demo identity
 * provider, and the delivery feature sends from that session's delegated token (no token handed in).
 */
let sandbox: Sandbox;
let test: TestCore;
beforeAll(async () => {
  sandbox = await startAuthSandbox();
  test = await makeCore(sandbox, { capabilities: { rosterSyncIntervalMs: 0 } });
}, 60_000);
afterAll(async () => {
  await test?.core.dispose();
  await sandbox?.close();
});

async function value<T>(method: string, input: unknown): Promise<T> {
  const reply = await test.call(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

async function perRecipient(kind: string): Promise<Record<string, number>> {
  const reply = await fetch(`${sandbox.adminUrl}/side-effects/${kind}`);
  return ((await reply.json()) as { perUser: Record<string, number> }).perUser;
}

const template = {
  name: 'Reminder',
  subject: 'Reconnect your [UNIVERSITY] calendar, {{FirstName}}',
  body: 'Hi {{FirstName}},\n\nplease reconnect before [DATE PROVIDED]: {{MagicLink}}',
};
const overrides = { university: 'Demo University' };

describe('delivery in the composed core', () => {
  it('plans, test-sends and drafts from the signed-in director’s mailbox', async () => {
    const signedOut = await test.call('mail.testSend', { template, overrides });
    expect(signedOut).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await signInWithBrowser(sandbox, test, 'director');
    await value('roster.sync', { mode: 'full', wait: true });
    const filter = { status: ['legacy'], role: ['career_center'] };
    const plan = await value<DeliveryPlan>('mail.planDelivery', {
      template,
      overrides,
      audience: { filter },
      mode: 'drafts',
    });
    expect(plan.sender).toMatchObject({ kind: 'operator', address: expect.stringMatching(/@/) });
    expect(plan.recipients).toBeGreaterThan(0);
    expect(plan.sendable).toBe(true);
    const test1 = await value<{ sentTo: string; subject: string }>('mail.testSend', { template, overrides });
    expect(test1.sentTo).toBe(plan.sender.address);
    expect(test1.subject).toMatch(/^\[TEST\] Reconnect your Demo University calendar, /);
    expect((await perRecipient('mail-recipient'))[test1.sentTo.toLowerCase()]).toBe(1);
    const job = await value<JobSummary>('mail.startDelivery', {
      template,
      overrides,
      audience: { filter },
      mode: 'drafts',
      confirmCount: plan.recipients,
    });
    const deadline = Date.now() + 30_000;
    let status: DeliveryStatus;
    for (;;) {
      status = await value<DeliveryStatus>('mail.delivery', { id: job.id });
      if (status.job.state !== 'running') break;
      if (Date.now() > deadline) throw new Error('the drafts job did not finish');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.job.state).toBe('completed');
    expect(status.outcomes.drafted).toBe(plan.recipients);
    expect(status.sender).toBe(plan.sender.address);
    const announcements = await value<{ announcements: Array<{ id: string; kind: string }> }>(
      'mail.announcements',
      {},
    );
    expect(announcements.announcements.find((a) => a.id === status.announcementId)?.kind).toBe('drafts');
    const wrongCount = await test.call('mail.startDelivery', {
      template,
      overrides,
      audience: { filter },
      mode: 'send',
      confirmCount: plan.recipients + 1,
    });
    expect(wrongCount).toMatchObject({ ok: false, error: { code: 'conflict' } });
  }, 90_000);
});
