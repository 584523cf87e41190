import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../../../shared/contract/errors.ts';
import type { JobSummary } from '../../../../shared/contract/jobs.ts';
import {
  AudienceSpec,
  DELIVERY_JOB_KINDS,
  DELIVERY_OUTCOMES,
  DeliveryInput,
  type DeliveryMode,
  type DeliveryOutcome,
  type DeliveryPlan,
  type DeliveryStatus,
  type OrgOverrides,
  type TemplateDraft,
} from '../../../../shared/contract/mail.ts';
import { displayName, mergeValues } from '../../../../shared/mail/recipient.ts';
import { isSendable, type LintIssue } from '../../../../shared/mail/template.ts';
import { actorOf } from '../../audit/actor.ts';
import type { CallContext } from '../../ipc/dispatcher.ts';
import type { JobEngine } from '../../jobs/job-engine.ts';
import { jobSummary } from '../../jobs/job-summary.ts';
import type { Logger } from '../../log/logger.ts';
import { Audience } from '../audience.ts';
import type { MailComposer, PreparedTemplate } from '../mail-feature.ts';
import { renderMessage } from '../render.ts';
import {
  deliveryItems,
  operatorAddress,
  suppressedSealContext,
  type DeliveryGraph,
  type DeliveryParams,
} from './delivery-kind.ts';
import { draftsDuration, EXCHANGE_SENDING_LIMITS, sendingDuration } from './delivery-plan.ts';
import { graphMessage, TEST_SUBJECT_PREFIX } from './graph-message.ts';

export interface DeliveryServiceOptions {
  composer: MailComposer;
  /** The current data source's job engine (null while no workspace is open). */
  engine: () => JobEngine | null;
  graph: () => DeliveryGraph;
  logger: Logger;
}

/** A delivery as the contract takes it (defaults filled in here). */
type DeliveryRequest = DeliveryInput;

function blockingIssues(issues: readonly LintIssue[]): ConsoleError {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] as LintIssue;
  return new ConsoleError(
    'bad_input',
    `The template has ${errors.length} unresolved issue(s); the first: ${first.part} line ${first.line}, column ${first.column}: ${first.message}`,
    {
      issues: errors
        .slice(0, 20)
        .map((i) => ({ path: `${i.part}:${i.line}:${i.column}`, message: i.message.slice(0, 500) })),
    },
  );
}

/** Plans, starts and reports deliveries (send, drafts) and sends the operator a test message. */
export class DeliveryService {
  readonly #options: DeliveryServiceOptions;

  constructor(options: DeliveryServiceOptions) {
    this.#options = options;
  }

  #engine(): JobEngine {
    const engine = this.#options.engine();
    if (engine === null)
      throw new ConsoleError('unavailable', 'The job journal is not open yet: try again in a moment.', {
        retryable: true,
      });
    return engine;
  }

  /** The operator's address, or null when nobody is signed in to Graph (the plan says so). */
  async #senderAddress(signal?: AbortSignal): Promise<{ address: string | null; problem: string | null }> {
    try {
      const client = await this.#options.graph().client();
      return { address: await operatorAddress(client, signal), problem: null };
    } catch (error) {
      return { address: null, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  async plan(raw: DeliveryRequest, signal?: AbortSignal): Promise<DeliveryPlan> {
    const input = DeliveryInput.parse(raw);
    const { composer } = this.#options;
    const graph = this.#options.graph();
    const prepared = await composer.prepare(input.template, input.overrides);
    const spec = AudienceSpec.parse(input.audience);
    const { rows, options, roster } = composer.audience(spec);
    const analysis = Audience.analyze(rows, options);
    const notes: string[] = [];
    if (!roster.loaded()) notes.push('The roster has not loaded yet: the counts are of an empty roster.');
    const own = await this.#senderAddress(signal);
    if (own.address === null)
      notes.push(
        `The sending mailbox is not known: ${(own.problem ?? 'sign in').replace(/\.+$/, '')}. Sign in before starting.`,
      );
    const senderKey = input.sharedMailbox ?? own.address;
    const usedToday = senderKey === null ? 0 : graph.budget.recipients.usedBy(senderKey.toLowerCase());
    const limits = {
      messagesPerMinute: graph.budget.messages.limit,
      recipientsPerDay: graph.budget.recipients.limit,
      windowMs: graph.budget.recipients.windowMs,
    };
    let durationMs: number;
    let quotaPauses = 0;
    if (input.mode === 'send') {
      const estimate = sendingDuration(analysis.recipients, usedToday, limits);
      durationMs = estimate.ms;
      quotaPauses = estimate.quotaPauses;
      if (quotaPauses > 0)
        notes.push(
          `More recipients than the mailbox may reach in 24 hours: the job pauses ${quotaPauses} time(s) until Exchange's window frees, and resumes by itself.`,
        );
    } else {
      durationMs = draftsDuration(analysis.recipients);
      notes.push('Drafts are saved in your Outlook Drafts folder for review; nothing is sent.');
    }
    const usesLinks = prepared.compiled.fields.has('MagicLink');
    let warning: string | null = null;
    if (usesLinks && input.magicLinkTtlMinutes === null)
      warning = 'Magic links are left out on request: {{MagicLink}} points at the re-authorize page.';
    else if (usesLinks && !prepared.online)
      warning = 'The platform is offline: magic links cannot be made until it answers.';
    if (input.mode === 'send' && analysis.external > 0)
      notes.push(
        `${analysis.external.toLocaleString('en-US')} recipients are outside the tenant (${analysis.internalDomains.join(', ') || 'no internal domain known'}): the tenant's external-recipient limits apply to them too.`,
      );
    const now = graph.runtime.now();
    return {
      mode: input.mode,
      sender: { address: senderKey, kind: input.sharedMailbox === null ? 'operator' : 'shared' },
      total: analysis.total,
      recipients: analysis.recipients,
      internal: analysis.internal,
      external: analysis.external,
      internalDomains: analysis.internalDomains,
      byRole: analysis.byRole,
      excluded: analysis.excluded,
      excludedSample: analysis.excludedSample,
      issues: prepared.issues.slice(0, 500),
      sendable: isSendable(prepared.issues),
      limits: {
        messagesPerMinute: EXCHANGE_SENDING_LIMITS.messagesPerMinute,
        recipientsPerDay: limits.recipientsPerDay,
        recipientsUsedLastDay: usedToday,
      },
      earliestFinishAt: analysis.recipients === 0 ? null : new Date(now + durationMs).toISOString(),
      durationSeconds: Math.round(durationMs / 1000),
      quotaPauses,
      magicLinks: {
        used: usesLinks && input.magicLinkTtlMinutes !== null,
        ttlMinutes: input.magicLinkTtlMinutes,
        expireAfterSendMinutes: usesLinks ? input.magicLinkTtlMinutes : null,
        warning,
      },
      notes: notes.slice(0, 10),
      rosterLoaded: roster.loaded(),
      plannedAt: new Date(now).toISOString(),
    };
  }

  async start(
    request: DeliveryRequest & { confirmCount?: number | null; scheduledAt?: string | null },
    call: CallContext,
  ): Promise<JobSummary> {
    const { confirmCount = null, scheduledAt: at = null, ...rest } = request;
    const raw = { confirmCount, scheduledAt: at };
    const input = DeliveryInput.parse(rest);
    const { composer } = this.#options;
    const engine = this.#engine();
    const graph = this.#options.graph();
    const prepared = await composer.prepare(input.template, input.overrides);
    if (!isSendable(prepared.issues)) throw blockingIssues(prepared.issues);
    const spec = AudienceSpec.parse(input.audience);
    // Who sends: refused now rather than at the first message when nobody is signed in to Graph.
    const client = await graph.client();
    const own = await operatorAddress(client, call.signal);
    let scheduledAt: string | null = null;
    if (raw.scheduledAt !== null) {
      const at = Date.parse(raw.scheduledAt);
      if (!(at > graph.runtime.now()))
        throw new ConsoleError('bad_input', `The scheduled time ${raw.scheduledAt} is not in the future.`);
      scheduledAt = new Date(at).toISOString();
    }
    let items: ReturnType<typeof deliveryItems>['items'] = [];
    if (scheduledAt === null) {
      const { roster } = composer.audience(spec);
      if (!roster.loaded())
        throw new ConsoleError(
          'unavailable',
          'The roster has not loaded yet: wait for the first sync, then start.',
          {
            retryable: true,
          },
        );
      const planned = deliveryItems(composer, spec);
      if (planned.recipients === 0)
        throw new ConsoleError(
          'conflict',
          'Nobody in this audience can be mailed now: there is nobody to send to.',
        );
      if (raw.confirmCount !== null && raw.confirmCount !== planned.recipients)
        throw new ConsoleError(
          'conflict',
          `The audience changed: ${planned.recipients.toLocaleString('en-US')} recipients now, not ${raw.confirmCount.toLocaleString('en-US')}. Look at the plan again and confirm the new count.`,
        );
      items = planned.items;
    }
    const announcementId = randomUUID();
    // Emails on the suppression list are personal: never in the job's parameters in clear.
    let suppressedSealed: string | null = null;
    if (scheduledAt !== null && spec.suppressed.length > 0) {
      const sealed = engine.store.journal.seal(
        JSON.stringify(spec.suppressed),
        suppressedSealContext(announcementId),
      );
      if (sealed === null)
        throw new ConsoleError(
          'bad_input',
          'A scheduled announcement with a suppression list needs the encrypted journal (its key is not available here): send it now, or set CONSOLE_DATA_KEY.',
        );
      suppressedSealed = Buffer.from(sealed).toString('base64');
    }
    const params: DeliveryParams = {
      mode: input.mode,
      announcementId,
      templateName: input.template.name,
      templateId: input.template.templateId,
      templateVersion: input.template.templateVersion,
      template: { subject: input.template.subject, body: input.template.body },
      overrides: input.overrides,
      audience: { ...spec, suppressed: [] },
      suppressedSealed,
      sharedMailbox: input.sharedMailbox,
      senderAddress: input.sharedMailbox ?? own,
      magicLinkTtlMinutes: input.magicLinkTtlMinutes,
      subject: prepared.recordSubject,
    };
    const who = actorOf(call);
    const job = engine.create({
      kind: DELIVERY_JOB_KINDS[input.mode],
      params: { ...params },
      createdBy: who.actor,
      createdByName: who.actorName,
      scheduledAt,
      items,
    });
    this.#options.logger.info('delivery job created', {
      jobId: job.id,
      mode: input.mode,
      items: items.length,
      scheduledAt,
    });
    if (scheduledAt === null)
      void engine.run(job.id, { operator: true }).catch((error: unknown) =>
        this.#options.logger.warn('delivery run refused', {
          jobId: job.id,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    return jobSummary(engine, engine.progress(job.id));
  }

  status(id: string): DeliveryStatus {
    const engine = this.#engine();
    const progress = engine.progress(id);
    const { job } = progress;
    const mode = (Object.keys(DELIVERY_JOB_KINDS) as DeliveryMode[]).find(
      (m) => DELIVERY_JOB_KINDS[m] === job.kind,
    );
    if (mode === undefined) throw new ConsoleError('not_found', `Job ${id} is not an announcement delivery.`);
    const params = job.params as unknown as Partial<DeliveryParams>;
    const outcomes = Object.fromEntries(
      DELIVERY_OUTCOMES.map((o) => [o, progress.counts.byOutcome[o] ?? 0]),
    ) as Record<DeliveryOutcome, number>;
    return {
      job: jobSummary(engine, progress),
      mode,
      announcementId: typeof params.announcementId === 'string' ? params.announcementId : null,
      templateName: String(params.templateName ?? '').slice(0, 200),
      subject: String(params.subject ?? '').slice(0, 1000),
      sender:
        typeof params.senderAddress === 'string'
          ? params.senderAddress
          : typeof params.sharedMailbox === 'string'
            ? params.sharedMailbox
            : null,
      outcomes,
      resumesAt: progress.state === 'scheduled' && job.startedAt !== null ? job.scheduledAt : null,
    };
  }

  /** One message to the operator's own address, rendered for a chosen recipient; no magic link is made for it. */
  async testSend(
    input: {
      template: TemplateDraft;
      overrides: OrgOverrides;
      userId: string | null;
      sharedMailbox: string | null;
    },
    call: CallContext,
  ): Promise<{
    sentTo: string;
    subject: string;
    renderedFor: { userId: string; name: string };
    sentAt: string;
  }> {
    const { composer } = this.#options;
    const graph = this.#options.graph();
    const prepared: PreparedTemplate = await composer.prepare(input.template, input.overrides);
    if (!isSendable(prepared.issues)) throw blockingIssues(prepared.issues);
    const person = input.userId === null ? composer.sampleRecipient : composer.rosterRow(input.userId);
    if (person === undefined) throw new ConsoleError('not_found', 'That user is not in the roster.');
    const client = await graph.client();
    const own = await operatorAddress(client, call.signal);
    // The recipient's own magic link must never reach someone else's inbox: the test links the re-authorize page.
    const rendered = renderMessage(prepared.compiled, mergeValues(person, prepared.context, null));
    const message = graphMessage(
      { ...rendered, subject: `${TEST_SUBJECT_PREFIX}${rendered.subject}` },
      { name: 'Test', address: own },
      input.sharedMailbox === null ? null : { name: '', address: input.sharedMailbox },
    );
    await client.sendMail(message, {
      sender: input.sharedMailbox ?? own,
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    });
    return {
      sentTo: own,
      subject: String(message['subject']),
      renderedFor: { userId: person.userId, name: displayName(person).slice(0, 1000) },
      sentAt: new Date(graph.runtime.now()).toISOString(),
    };
  }
}
