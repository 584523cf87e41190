import type { DeliveryInput, DeliveryMode } from '../../../../shared/contract/index.ts';
import { formatInstantForOperator } from '../../../../shared/time/instant-format.ts';
import { composedMessage, type AnnouncementStateSnapshot } from './announcement-store.ts';

/** The delivery input for what the page holds now (the template as composed, the audience as chosen). */
export function deliveryInput(
  state: AnnouncementStateSnapshot,
  options: { mode: DeliveryMode; sharedMailbox: string; linkDays: number | null },
): DeliveryInput {
  return {
    ...composedMessage(state),
    mode: options.mode,
    sharedMailbox: options.sharedMailbox.trim() === '' ? null : options.sharedMailbox.trim(),
    magicLinkTtlMinutes: options.linkDays === null ? null : options.linkDays * 24 * 60,
  };
}

/** Identifies the message a test send was made of: a changed subject, body or sender needs a new test. */
export function testKey(state: AnnouncementStateSnapshot, sharedMailbox: string): string {
  return JSON.stringify([state.draft.subject, state.draft.body, state.overrides, sharedMailbox.trim()]);
}

const count = (n: number) => n.toLocaleString('en-US');

/** "28,431 recipients: earliest finish Thu 14:20 at Exchange limits" in the platform's zone (and the operator's). */
export function planHeadline(
  plan: { mode: DeliveryMode; recipients: number; earliestFinishAt: string | null },
  platformZone: string | null,
  operatorZone: string | null,
): string {
  const who = `${count(plan.recipients)} recipient${plan.recipients === 1 ? '' : 's'}`;
  if (plan.recipients === 0) return `${who}: nobody to write to.`;
  if (plan.earliestFinishAt === null) return `${who}.`;
  const zone = platformZone ?? operatorZone ?? 'UTC';
  const when = formatInstantForOperator(plan.earliestFinishAt, zone, operatorZone);
  return plan.mode === 'send'
    ? `${who}: earliest finish ${when} at Exchange limits`
    : `${who}: drafts done by about ${when}`;
}
