import {
  type AudienceSpec,
  DELIVERY_JOB_KINDS,
  DELIVERY_OUTCOMES,
  type OrgOverrides,
  type DeliveryMode,
  type DeliveryOutcome,
} from '../../../../shared/contract/mail.ts';
import { ConsoleError } from '../../../../shared/contract/errors.ts';
import { isMagicLinkFailure, type Connection } from '../../../../shared/domain/platform.ts';
import { mergeValues } from '../../../../shared/mail/recipient.ts';
import { isSendable } from '../../../../shared/mail/template.ts';
import { dateInZone } from '../../dashboard/calendar-dates.ts';
import type { GraphClient } from '../../graph/client.ts';
import { GraphError } from '../../graph/errors.ts';
import type { ItemResult, JobKind, RunContext } from '../../jobs/job-engine.ts';
import type { ItemRecord, NewItem } from '../../jobs/job-store.ts';
import type { JournalDatabase } from '../../journal/journal-database.ts';
import type { Logger } from '../../log/logger.ts';
import { abortReason, type Runtime } from '../../net/clock.ts';
import type { GraphBudget } from '../../net/graph-budget.ts';
import type { PlatformClient } from '../../platform/client.ts';
import { PlatformError } from '../../platform/errors.ts';
import { Audience } from '../audience.ts';
import type { MailComposer, PreparedTemplate } from '../mail-feature.ts';
import { renderMessage } from '../render.ts';
import type { AnnouncementRepository } from '../template-repository.ts';
import { graphMessage, toAddress, type MessageAddress } from './graph-message.ts';

/** The platform calls a delivery makes per recipient, at `jobs` priority of the key's request budget. */
export interface DeliveryPlatform {
  /** The user's connection now (the eligibility re-check). */
  get(userId: string, signal: AbortSignal): Promise<Connection>;
  /** One magic link; the key makes a retried call (even after a restart) return the same link. */
  magicLink(
    userId: string,
    ttlMinutes: number,
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<{ url: string; expiresAt: string } | null>;
}

export function deliveryPlatformOf(client: () => Promise<PlatformClient>): DeliveryPlatform {
  return {
    async get(userId, signal) {
      return (await client()).getConnection(userId, { signal, priority: 'jobs' });
    },
    async magicLink(userId, ttlMinutes, idempotencyKey, signal) {
      const result = await (
        await client()
      ).createMagicLinkBatch(
        { userIds: [userId], target: 'calendar-sync-settings', ttlMinutes },
        { idempotencyKey, signal, priority: 'jobs' },
      );
      const item = result.value.items.find((i) => i.userId === userId);
      if (item === undefined || isMagicLinkFailure(item)) return null;
      return { url: item.url, expiresAt: item.expiresAt };
    },
  };
}

/** The operator's Graph (delegated: `/me/sendMail`, `/me/messages`), the sending budget and the clock it paces by. */
export interface DeliveryGraph {
  /** A client on the operator's token; throws ConsoleError `unauthorized` when nobody is signed in. */
  client(): Promise<GraphClient>;
  budget: GraphBudget;
  runtime: Runtime;
}

/** What a delivery job stores (no personal data: the template, the filter, the sending mailbox). */
export interface DeliveryParams {
  mode: DeliveryMode;
  announcementId: string;
  templateName: string;
  templateId: string | null;
  templateVersion: number | null;
  template: { subject: string; body: string };
  overrides: OrgOverrides;
  /** The filter and internal domains; the suppression list is never kept here in clear (see suppressedSealed). */
  audience: ReturnType<typeof AudienceSpec.parse>;
  /**
   * A scheduled delivery's suppression list (emails), sealed with the journal's key (base64), for
   * when it picks its audience. An immediate delivery decides at once and keeps none.
   */
  suppressedSealed?: string | null;
  sharedMailbox: string | null;
  /** The sending mailbox when the job was created (the shared one, or the operator's own address). */
  senderAddress?: string | null;
  magicLinkTtlMinutes: number | null;
  /** The subject with its merge fields (for the record and the Jobs page). */
  subject: string;
}

export type Exclusion = 'duplicate-email' | 'no-email' | 'suppressed';

const SKIP_OF: Record<Exclusion, DeliveryOutcome> = {
  'duplicate-email': 'skipped_duplicate',
  'no-email': 'skipped_no_email',
  suppressed: 'skipped_suppressed',
};

const SKIP_DETAIL: Record<Exclusion, string> = {
  'duplicate-email':
    'Shares an address with another user: not mailed (a message would greet the wrong person and carry the wrong link).',
  'no-email': 'No usable email address: not mailed.',
  suppressed: 'On the suppression list: not mailed.',
};

/**
 * Spaces one sender's messages evenly (2.04 s apart at 30 a minute) instead of letting the budget
 * admit a minute's 30 at once: a burst queues behind the mailbox's 4 connections and reaches
 * Exchange later than it was counted, and Exchange's own window then refuses the next minute's
 * first messages with 429. Each message waits for the one before it to be let go, so a late
 * wake-up delays those after it instead of bunching them; the 2% margin absorbs the wire's jitter.
 */
export class SendPacer {
  readonly #runtime: Runtime;
  readonly #intervalMs: number;
  /** When each sender's last message was let go (after its wait ended: a late wake-up shifts the next). */
  readonly #last = new Map<string, number>();
  readonly #turns = new Map<string, Promise<void>>();

  constructor(runtime: Runtime, budget: GraphBudget, margin = 1.02) {
    this.#runtime = runtime;
    this.#intervalMs = (budget.messages.windowMs / budget.messages.limit) * margin;
  }

  /**
   * Waits until the sender's previous message is an interval behind, in arrival order. An abort
   * ends the wait at once, also while queued behind others, and takes no slot.
   */
  async wait(sender: string, signal?: AbortSignal): Promise<void> {
    const key = sender.toLowerCase();
    const previous = this.#turns.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.#turns.set(key, mine);
    try {
      await untilAborted(previous, signal);
      const at = (this.#last.get(key) ?? Number.NEGATIVE_INFINITY) + this.#intervalMs;
      const now = this.#runtime.now();
      if (at > now) await this.#runtime.sleep(at - now, signal);
      this.#last.set(key, this.#runtime.now());
    } finally {
      // An aborted waiter hands its turn on only once the one before it is done, so nobody behind
      // it can overtake a waiter still sleeping (two jobs from one mailbox share the pacer).
      void previous.then(() => {
        release();
        if (this.#turns.get(key) === mine) this.#turns.delete(key);
      });
    }
  }
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself runs on). */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Where a delivery's sealed suppression list is bound (the announcement id is known before the job). */
export function suppressedSealContext(announcementId: string) {
  return { table: 'jobs', column: 'params.suppressed', rowId: announcementId };
}

function openSuppressed(journal: JournalDatabase, params: DeliveryParams): string[] {
  if (typeof params.suppressedSealed !== 'string') return [];
  const text = journal.open(
    new Uint8Array(Buffer.from(params.suppressedSealed, 'base64')),
    suppressedSealContext(params.announcementId),
  );
  if (text === null)
    throw new ConsoleError(
      'unavailable',
      'The suppression list of this scheduled announcement cannot be opened (the journal’s key is not available): it was not sent to anyone.',
      { retryable: true },
    );
  return JSON.parse(text) as string[];
}

/** A platform failure that may pass (no answer, 5xx, throttling after the client's retries). */
function isTransientPlatformFailure(error: unknown): boolean {
  return error instanceof PlatformError && (error.retryable || error.status === null || error.status >= 500);
}

/** Longest wait inside one item for the 24-hour recipient quota; longer, the job is rescheduled instead. */
export const QUOTA_WAIT_IN_ITEM_MS = 60_000;

/** The items of a delivery: everyone the filter selects now, the excluded ones too (settled as skipped). */
export function deliveryItems(
  composer: MailComposer,
  audience: ReturnType<typeof AudienceSpec.parse>,
): { items: NewItem[]; recipients: number; excluded: number } {
  const { rows, options } = composer.audience(audience);
  const rules = new Audience(options);
  for (const row of rows()) rules.observe(row);
  const items: NewItem[] = [];
  let recipients = 0;
  for (const row of rows()) {
    const exclusion = rules.exclusion(row);
    if (exclusion === null) recipients += 1;
    items.push({
      target: row.userId,
      personal: {
        email: row.email.slice(0, 320),
        name: [row.preferredName ?? row.firstName, row.lastName].filter(Boolean).join(' ').slice(0, 1000),
      },
      facts: { role: row.role, status: row.status, ...(exclusion === null ? {} : { exclusion }) },
    });
  }
  return { items, recipients, excluded: items.length - recipients };
}

interface RunState {
  prepared: PreparedTemplate;
  client: GraphClient;
  /** The sending mailbox (its quota): the operator's own address, or the shared mailbox. */
  senderKey: string;
  from: MessageAddress | null;
  statuses: ReadonlySet<string> | null;
}

export interface DeliveryKindOptions {
  mode: DeliveryMode;
  platform: DeliveryPlatform;
  graph: DeliveryGraph;
  composer: MailComposer;
  announcements: () => AnnouncementRepository;
  logger: Logger;
  /** Shared by every job sending from one process (by default the kind's own). */
  pacer?: SendPacer;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function when(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/:\d\d\.\d{3}Z$/, ' UTC')
    .replace('T', ' ');
}

/** The operator's own address as Graph knows it (the sending mailbox's quota key). */
export async function operatorAddress(client: GraphClient, signal?: AbortSignal): Promise<string> {
  const me = await client.getMe(signal === undefined ? {} : { signal });
  const address = (me.mail ?? me.userPrincipalName ?? '').trim();
  if (address === '')
    throw new ConsoleError('unavailable', 'Microsoft Graph did not say the signed-in operator’s address.');
  return address;
}

/**
 * One delivery kind (send or drafts): one item per user the filter selected. Each message is
 * rendered when it goes, after a fresh eligibility check; sends are paced by the sending
 * mailbox's budget (30 a minute, 10,000 recipients a day), a quota or throttling reply hands the
 * item back and reschedules the job, and a message that was on the wire when the process died is
 * settled `uncertain`, never sent again by itself (sendMail is not idempotent).
 */
export function createDeliveryKind(options: DeliveryKindOptions): JobKind {
  const { mode, platform, graph, composer, logger } = options;
  const runs = new Map<string, Promise<RunState>>();
  const pacer = options.pacer ?? new SendPacer(graph.runtime, graph.budget);

  const paramsOf = (context: RunContext): DeliveryParams => context.job.params as unknown as DeliveryParams;

  const runState = (context: RunContext): Promise<RunState> => {
    let state = runs.get(context.job.id);
    if (state === undefined) {
      state = (async () => {
        const params = paramsOf(context);
        const prepared = await composer.prepare(params.template, params.overrides);
        if (!isSendable(prepared.issues)) {
          const first = prepared.issues.find((i) => i.severity === 'error');
          throw new ConsoleError(
            'bad_input',
            `The template cannot be sent now: ${first?.message ?? 'it has unresolved issues'}`,
          );
        }
        const client = await graph.client();
        const own = await operatorAddress(client, context.signal);
        const shared = params.sharedMailbox;
        return {
          prepared,
          client,
          senderKey: shared ?? own,
          from: shared === null ? null : { name: '', address: shared },
          statuses:
            params.audience.filter.status === undefined ? null : new Set(params.audience.filter.status),
        };
      })();
      runs.set(context.job.id, state);
      // A failure is not kept: the next item (or run) tries again.
      state.catch(() => runs.delete(context.job.id));
    }
    return state;
  };

  const later = (
    context: RunContext,
    item: ItemRecord,
    requeue: NonNullable<ItemResult['requeue']>,
  ): ItemResult => {
    // The message did not go: forget "sending", so a crash before the next attempt is not taken for one.
    if ('sendingAt' in item.facts) {
      const { sendingAt: _dropped, ...facts } = item.facts;
      context.store.updateFacts(context.job.id, item.seq, facts);
    }
    return { outcome: 'failed', category: 'failed', detail: requeue.reason, requeue };
  };

  /** Asked to stop (pause, cancel, another item's quota) before this user was mailed: pending again. */
  const stopped = (context: RunContext, item: ItemRecord): ItemResult =>
    later(context, item, { stop: 'paused', reason: 'Stopped before this user was mailed.' });

  /**
   * Waits, abortably, until the sender's budget has room for one more message: sendMail's own
   * wait for it (which only a lost lease could end) is then immediate, so a pause reaches an item
   * waiting for the day's quota too.
   */
  const roomToSend = async (sender: string, signal: AbortSignal): Promise<void> => {
    const key = sender.toLowerCase();
    for (;;) {
      signal.throwIfAborted();
      const wait = Math.max(graph.budget.recipients.waitFor(key, 1), graph.budget.messages.waitFor(key, 1));
      if (wait === 0) return;
      await graph.runtime.sleep(wait, signal);
    }
  };

  const settle = (outcome: DeliveryOutcome, detail: string, transient = false): ItemResult => ({
    outcome,
    category:
      outcome === 'sent' || outcome === 'drafted'
        ? 'done'
        : outcome.startsWith('skipped_')
          ? 'skipped'
          : 'failed',
    detail,
    ...(transient ? { transient } : {}),
  });

  /** When the sending mailbox's 24-hour window frees a recipient again, by this console's count. */
  const quotaFreesAt = (sender: string): number => {
    const key = sender.toLowerCase();
    const quota = graph.budget.recipients;
    const used = quota.usedBy(key);
    const wait = used >= 1 ? quota.waitFor(key, Math.min(quota.limit, quota.limit - used + 1)) : 0;
    // Exchange counted messages this console does not know of (another app, a restart): a whole window.
    return graph.runtime.now() + (wait > 0 ? wait : quota.windowMs);
  };

  const graphFailure = (
    context: RunContext,
    item: ItemRecord,
    error: unknown,
    state: RunState,
    sendingRecorded: boolean,
  ): ItemResult => {
    const what = mode === 'send' ? 'message' : 'draft';
    if (error instanceof GraphError) {
      const quota = error.code === 'ErrorSubmissionQuotaExceeded' || /\b5\.2\.0\b/.test(error.message);
      if (quota) {
        const at = quotaFreesAt(state.senderKey);
        return later(context, item, {
          stop: 'scheduled',
          at: iso(at),
          reason: `Exchange refused more messages from ${state.senderKey}: its limit of recipients per 24 hours is reached (554 5.2.0). Nothing was sent twice; the job resumes by itself at ${when(at)}.`,
        });
      }
      if (error.status === 429) {
        const at = graph.runtime.now() + Math.max(1_000, error.retryAfterMs ?? 60_000);
        return later(context, item, {
          stop: 'scheduled',
          at: iso(at),
          reason: `Microsoft Graph is throttling ${state.senderKey} (429); the job resumes by itself at ${when(at)}.`,
        });
      }
      if (error.status === 401)
        return later(context, item, {
          stop: 'paused',
          reason: 'The Graph sign-in expired: sign in again, then resume. Nothing was sent twice.',
        });
      if (error.code === 'timeout' || error.code === 'network_error' || error.code === 'cancelled') {
        if (!sendingRecorded)
          return later(context, item, {
            stop: 'paused',
            reason: `Microsoft Graph could not be reached (${error.message.slice(0, 200)}); resume when it is back.`,
          });
        return settle(
          'uncertain',
          `The ${what} was on its way when the connection failed (${error.code}); it may have gone. Not repeated by itself: check ${mode === 'send' ? 'Sent Items' : 'Drafts'} of ${state.senderKey}.`,
        );
      }
      return settle('failed', `${error.message}`.slice(0, 500), error.status === null || error.status >= 500);
    }
    if (error instanceof ConsoleError && error.code === 'unauthorized')
      return later(context, item, { stop: 'paused', reason: `${error.message} Then resume the job.` });
    return settle('failed', error instanceof Error ? error.message.slice(0, 500) : String(error), true);
  };

  return {
    name: DELIVERY_JOB_KINDS[mode],
    destructive: false,
    outcomes: DELIVERY_OUTCOMES,
    describe: (job) => {
      const params = job.params as unknown as Partial<DeliveryParams>;
      const verb = mode === 'send' ? 'Send' : 'Draft';
      const scheduled = job.total === 0 && job.scheduledAt !== null ? ' (audience decided when it runs)' : '';
      return `${verb} “${params.templateName ?? 'announcement'}” to ${job.total.toLocaleString('en-US')} users${scheduled}`.slice(
        0,
        300,
      );
    },
    async prepare(context) {
      runs.delete(context.job.id);
      const params = paramsOf(context);
      const announcements = options.announcements();
      // Decided by what is recorded, not by `firstRun`: a first run that paused (the roster not
      // loaded yet) has already started, and its resume must still pick the audience.
      const needsAudience =
        context.job.scheduledAt !== null && context.store.counts(context.job.id).total === 0;
      if (!needsAudience && announcements.get(params.announcementId) !== undefined) return;
      let recipients = context.store.counts(context.job.id).total;
      let excluded = 0;
      if (needsAudience) {
        // A scheduled run (a reminder) targets whoever the filter selects now.
        const { roster } = composer.audience(params.audience);
        if (!roster.loaded())
          throw new ConsoleError(
            'unavailable',
            'The roster has not loaded yet, so the scheduled announcement cannot pick its recipients: resume it once the roster has synced.',
            { retryable: true },
          );
        const planned = deliveryItems(composer, {
          ...params.audience,
          suppressed: openSuppressed(context.store.journal, params),
        });
        context.store.addItems(context.job.id, planned.items);
        recipients = planned.recipients;
        excluded = planned.excluded;
      } else {
        for (const item of context.store.items(context.job.id))
          if (typeof item.facts['exclusion'] === 'string') excluded += 1;
        recipients -= excluded;
      }
      if (announcements.get(params.announcementId) !== undefined)
        announcements.updateAudience(params.announcementId, { audienceSize: recipients, excluded });
      else {
        const recordedAt = new Date(graph.runtime.now());
        announcements.record(
          {
            kind: mode,
            format: null,
            templateName: params.templateName,
            templateId: params.templateId,
            templateVersion: params.templateVersion,
            subject: params.subject,
            audienceSize: recipients,
            excluded,
            magicLinks: 0,
            linksExpireAt: null,
            recordedAt: recordedAt.toISOString(),
            day: dateInZone(recordedAt, composer.timeZone()),
            recordedBy: context.job.createdBy,
            audienceFilter: params.audience.filter,
          },
          [],
          params.announcementId,
        );
      }
    },
    async runItem(item, context) {
      const params = paramsOf(context);
      const exclusion = item.facts['exclusion'];
      if (typeof exclusion === 'string' && exclusion in SKIP_OF)
        return settle(SKIP_OF[exclusion as Exclusion], SKIP_DETAIL[exclusion as Exclusion]);
      if (item.state === 'in_flight' && typeof item.facts['sendingAt'] === 'string')
        return settle(
          'uncertain',
          `The ${mode === 'send' ? 'message' : 'draft'} was on its way (${item.facts['sendingAt']}) when the console stopped: it may have gone. Not repeated by itself; check ${mode === 'send' ? 'Sent Items' : 'Drafts'}, then "Retry failed" sends to the ones not reached.`,
        );

      let state: RunState;
      try {
        state = await runState(context);
      } catch (error) {
        if (error instanceof ConsoleError && error.code === 'bad_input')
          return later(context, item, { stop: 'paused', reason: error.message });
        const message = error instanceof Error ? error.message : String(error);
        return later(context, item, {
          stop: 'paused',
          reason: `Cannot ${mode === 'send' ? 'send' : 'save drafts'} now: ${message.slice(0, 400)} Resume when this is fixed; nothing was sent twice.`,
        });
      }

      // Eligibility, fresh from the platform: someone who re-authorized since the job began is not nagged.
      // The read is idempotent: a stop ends it at once and the user waits for the next run.
      let fresh: Connection;
      try {
        fresh = await platform.get(item.target, context.stopping);
      } catch (error) {
        if (context.stopping.aborted) return stopped(context, item);
        if (error instanceof PlatformError && error.code === 'not_found')
          return settle('failed', 'The platform has no such user any more (404): not mailed.');
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
        // One unanswered check (after the client's own retries) is not an outage: this user is tried
        // again after the others, and the engine's breaker pauses the job after a run of them.
        if (isTransientPlatformFailure(error))
          return later(context, item, {
            stop: 'none',
            reason: `The platform did not answer the eligibility check (${message}); nobody is mailed unchecked or twice`,
          });
        return later(context, item, {
          stop: 'paused',
          reason: `The platform refused the eligibility check (${message}): paused so nobody is mailed unchecked. Resume when this is fixed; nobody is sent twice.`,
        });
      }
      if (state.statuses !== null && !state.statuses.has(fresh.status))
        return settle(
          'skipped_migrated',
          fresh.status === 'migrated'
            ? 'Re-authorized to Microsoft Graph since the announcement was planned: not mailed.'
            : `Now ${fresh.status}, which this announcement's filter does not select: not mailed.`,
        );

      // The name and address the operator planned with (the roster), the platform's if the roster lost the user.
      const row = composer.rosterRow(item.target) ?? fresh;
      const recipient = { ...row, email: row.email.trim() };

      let link: { url: string; expiresAt: string } | null = null;
      let linkNote = '';
      if (state.prepared.compiled.fields.has('MagicLink') && params.magicLinkTtlMinutes !== null) {
        try {
          link = await platform.magicLink(
            item.target,
            params.magicLinkTtlMinutes,
            `ml:${context.job.id}:${item.target}`.slice(0, 255),
            context.stopping,
          );
        } catch (error) {
          if (context.stopping.aborted) return stopped(context, item);
          logger.warn('magic link failed; the message links the re-authorize page', {
            jobId: context.job.id,
            error: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
          });
        }
        if (link === null)
          linkNote = ' The magic link could not be created: the message links the re-authorize page.';
      }
      const rendered = renderMessage(
        state.prepared.compiled,
        mergeValues(recipient, state.prepared.context, link?.url ?? null),
      );
      const message = graphMessage(rendered, toAddress(recipient), state.from);

      let sendingRecorded = false;
      const markSending = (): void => {
        context.store.updateFacts(context.job.id, item.seq, {
          ...item.facts,
          sendingAt: new Date(graph.runtime.now()).toISOString(),
        });
        sendingRecorded = true;
      };
      try {
        if (mode === 'send') {
          const quota = graph.budget.recipients;
          const wait = quota.waitFor(state.senderKey.toLowerCase(), 1);
          if (wait > QUOTA_WAIT_IN_ITEM_MS) {
            const at = graph.runtime.now() + wait;
            return later(context, item, {
              stop: 'scheduled',
              at: iso(at),
              reason: `${state.senderKey} has reached Exchange's limit of ${quota.limit.toLocaleString('en-US')} recipients per 24 hours; the job resumes by itself at ${when(at)}.`,
            });
          }
          // Every wait before the wire ends at a stop; the call on the wire does not (it finishes and is recorded).
          await roomToSend(state.senderKey, context.stopping);
          await pacer.wait(state.senderKey, context.stopping);
          await roomToSend(state.senderKey, context.stopping);
          await state.client.sendMail(message, {
            sender: state.senderKey,
            signal: context.signal,
            onAdmitted: markSending,
          });
        } else {
          markSending();
          await state.client.createDraft(message, { signal: context.signal });
        }
      } catch (error) {
        if (!sendingRecorded && context.stopping.aborted) return stopped(context, item);
        return graphFailure(context, item, error, state, sendingRecorded);
      }
      const announcements = options.announcements();
      announcements.addRecipient(params.announcementId, item.target);
      if (link !== null) announcements.countMagicLink(params.announcementId, link.expiresAt);
      return settle(
        mode === 'send' ? 'sent' : 'drafted',
        `${mode === 'send' ? 'Sent' : 'Saved as a draft'} from ${state.senderKey}.${linkNote}`,
      );
    },
  };
}
