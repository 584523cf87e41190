import type { SandboxStats } from '../http/stats.ts';
import type { DemoDirectory } from '../identity/index.ts';
import { ID_TYPES, type ExchangeIdType, type MailboxRef } from '../university/index.ts';
import { hasRole, hasScope } from './auth.ts';
import { graphError, JSON_CONTENT_TYPE, throttled, type ErrorIds } from './errors.ts';
import type { GraphLimits, OutlookThrottle, SendingLimits } from './limits.ts';
import { messageResource, parseMessage, recipientCount, type MailStore } from './mail.ts';
import type { GraphMailboxes } from './mailboxes.ts';
import { parsePrefer, preferenceApplied } from './prefer.ts';
import {
  applySelect,
  calendarResource,
  eventResource,
  profileOfMailbox,
  unknownSelect,
  userResource,
} from './resources.ts';
import type { SkipTokens } from './skiptoken.ts';
import type { CallContext, GraphRequest, GraphResponse } from './types.ts';

/** Every Graph call the console makes, as plain functions from request to response. */

export interface HandlerDeps {
  mailboxes: GraphMailboxes;
  directory: DemoDirectory | undefined;
  skipTokens: SkipTokens;
  throttle: OutlookThrottle;
  sending: SendingLimits;
  mail: MailStore;
  limits: GraphLimits;
  stats: Pick<SandboxStats, 'recordSideEffect'> | undefined;
  now: () => Date;
  latencyMs: number;
}

const CALENDARS_READ = 'Calendars.Read';
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

function ok(body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse {
  return {
    status,
    headers: {
      'Cache-Control': 'no-cache',
      'Content-Type': JSON_CONTENT_TYPE,
      'OData-Version': '4.0',
      ...headers,
    },
    body,
  };
}

function errorIds(deps: HandlerDeps, ctx: CallContext): ErrorIds {
  return { requestId: ctx.requestId, clientRequestId: ctx.clientRequestId, now: deps.now() };
}

/** Query options are case-insensitive in Graph (`startdatetime` works as well as `startDateTime`). */
function queryValue(query: URLSearchParams, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === wanted) return value;
  return null;
}

function parseGraphDateTime(value: string | null): number | null {
  if (!value) return null;
  // Without an offset Graph reads the time as UTC.
  const text = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` inside an Outlook throttle slot for (app, mailbox), holding it for the simulated latency. */
async function withinOutlookLimits(
  deps: HandlerDeps,
  ctx: CallContext,
  mailbox: string,
  work: () => GraphResponse,
): Promise<GraphResponse> {
  const admission = deps.throttle.admit(ctx.principal.claims.appid, mailbox);
  const ids = errorIds(deps, ctx);
  if (!admission.ok) {
    return admission.reason === 'rate'
      ? throttled(
          ids,
          'ApplicationThrottled',
          `Application is over its request limit for this mailbox (${deps.limits.requestsPerWindow} requests per ${deps.limits.windowMs / 1000} seconds).`,
          admission.retryAfterMs,
        )
      : throttled(
          ids,
          'ApplicationThrottled',
          'Application is over its MailboxConcurrency limit.',
          admission.retryAfterMs,
        );
  }
  try {
    if (deps.latencyMs > 0) await sleep(deps.latencyMs);
    return work();
  } finally {
    admission.release();
  }
}

type Route = (
  deps: HandlerDeps,
  ctx: CallContext,
  req: GraphRequest,
  params: string[],
) => Promise<GraphResponse> | GraphResponse;

function me(deps: HandlerDeps, ctx: CallContext): GraphResponse {
  const ids = errorIds(deps, ctx);
  if (ctx.principal.kind !== 'user')
    return graphError(
      ids,
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    );
  if (!hasScope(ctx.principal, 'User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All'))
    return graphError(
      ids,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  const c = ctx.principal.claims;
  const known = deps.directory?.findUserByOid(c.oid);
  const [given, ...rest] = (c.name ?? '').split(' ');
  const profile = known
    ? {
        id: known.oid,
        displayName: known.displayName,
        givenName: known.givenName,
        surname: known.surname,
        userPrincipalName: known.userPrincipalName,
        jobTitle: known.jobTitle,
      }
    : {
        id: c.oid,
        displayName: c.name ?? '',
        givenName: given ?? '',
        surname: rest.join(' '),
        userPrincipalName: c.preferred_username ?? '',
        jobTitle: null,
      };
  return ok({ '@odata.context': `${ctx.baseUrl}/$metadata#users/$entity`, ...userResource(profile) });
}

/** Resolves `/users/{id}` for app-only callers with Calendars.Read; anything else is an error response. */
function mailboxOf(
  deps: HandlerDeps,
  ctx: CallContext,
  userId: string,
  needsMailbox: boolean,
): MailboxRef | GraphResponse {
  const ids = errorIds(deps, ctx);
  if (!hasRole(ctx.principal, CALENDARS_READ)) {
    return needsMailbox
      ? graphError(ids, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.')
      : graphError(
          ids,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
  }
  const ref = deps.mailboxes.resolve(userId);
  if (!ref) {
    return needsMailbox
      ? graphError(ids, 404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`)
      : graphError(
          ids,
          404,
          'Request_ResourceNotFound',
          `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
        );
  }
  if (needsMailbox && ref.inactive)
    return graphError(
      ids,
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    );
  return ref;
}

const isRef = (value: MailboxRef | GraphResponse): value is MailboxRef => 'upn' in value;

const getUser: Route = (deps, ctx, req, [userId = '']) => {
  const ref = mailboxOf(deps, ctx, userId, false);
  if (!isRef(ref)) return ref;
  const select = queryValue(req.query, '$select');
  const resource = userResource(profileOfMailbox(ref));
  const bad = unknownSelect(resource, select);
  if (bad)
    return graphError(
      errorIds(deps, ctx),
      400,
      'Request_BadRequest',
      `Could not find a property named '${bad}' on type 'Microsoft.DirectoryServices.User'.`,
    );
  const context = select
    ? `${ctx.baseUrl}/$metadata#users(${select})/$entity`
    : `${ctx.baseUrl}/$metadata#users/$entity`;
  return ok({ '@odata.context': context, ...applySelect(resource, select) });
};

const getCalendar: Route = (deps, ctx, req, [userId = '']) => {
  const ref = mailboxOf(deps, ctx, userId, true);
  if (!isRef(ref)) return ref;
  return withinOutlookLimits(deps, ctx, ref.id, () => {
    const calendarId = deps.mailboxes.calendarId(ref);
    const resource = calendarResource(ref, calendarId);
    return ok({
      '@odata.context': `${ctx.baseUrl}/$metadata#users('${ref.id}')/calendar/$entity`,
      '@odata.id': `${ctx.baseUrl}/users('${ref.id}')/calendars('${calendarId}')`,
      ...applySelect(resource, queryValue(req.query, '$select'), ['id']),
    });
  });
};

const getEvent: Route = (deps, ctx, req, [userId = '', eventId = '']) => {
  const ref = mailboxOf(deps, ctx, userId, true);
  if (!isRef(ref)) return ref;
  return withinOutlookLimits(deps, ctx, ref.id, () => {
    const ids = errorIds(deps, ctx);
    if (!deps.mailboxes.isWellFormedId(eventId))
      return graphError(ids, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
    const event = deps.mailboxes.getEvent(ref, eventId);
    if (!event)
      return graphError(ids, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const prefs = parsePrefer(req.headers.prefer);
    const resource = applySelect(eventResource(event, prefs.immutableIds), queryValue(req.query, '$select'), [
      'id',
      '@odata.etag',
    ]);
    return ok(
      { '@odata.context': `${ctx.baseUrl}/$metadata#users('${ref.id}')/events/$entity`, ...resource },
      200,
      preferenceApplied({ immutableIds: prefs.immutableIds }),
    );
  });
};

const calendarView: Route = (deps, ctx, req, [userId = '']) => {
  const ref = mailboxOf(deps, ctx, userId, true);
  if (!isRef(ref)) return ref;
  return withinOutlookLimits(deps, ctx, ref.id, () => {
    const ids = errorIds(deps, ctx);
    const startText = queryValue(req.query, 'startDateTime');
    const endText = queryValue(req.query, 'endDateTime');
    const start = parseGraphDateTime(startText);
    const end = parseGraphDateTime(endText);
    if (start === null || end === null)
      return graphError(
        ids,
        400,
        'ErrorInvalidParameter',
        'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      );
    if (end <= start)
      return graphError(ids, 400, 'ErrorInvalidParameter', 'EndDateTime must be later than StartDateTime.');
    const prefs = parsePrefer(req.headers.prefer);
    const topText = queryValue(req.query, '$top');
    if (topText !== null && !/^\d+$/.test(topText))
      return graphError(ids, 400, 'BadRequest', `Invalid $top value '${topText}'.`);
    const top = Math.min(MAX_PAGE, Math.max(1, Number(topText ?? prefs.maxPageSize ?? DEFAULT_PAGE)));
    const select = queryValue(req.query, '$select');
    const scope = `calendarView|${ref.id}|${start}|${end}|${top}|${select ?? ''}`;
    const skipText = queryValue(req.query, '$skiptoken');
    const offset = skipText === null ? 0 : deps.skipTokens.decode(scope, skipText);
    if (offset === null)
      return graphError(
        ids,
        400,
        'BadRequest',
        'The $skiptoken is not valid for this request. Follow @odata.nextLink exactly as it was returned.',
      );
    const events = deps.mailboxes.listEvents(ref, start, end);
    const page = events
      .slice(offset, offset + top)
      .map((e) => applySelect(eventResource(e, prefs.immutableIds), select, ['id', '@odata.etag']));
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.baseUrl}/$metadata#users('${ref.id}')/calendarView`,
      value: page,
    };
    if (offset + top < events.length) {
      // The link repeats every query option of the request, as Graph's nextLinks do.
      const next = new URLSearchParams();
      next.set('startDateTime', startText ?? '');
      next.set('endDateTime', endText ?? '');
      if (topText !== null) next.set('$top', topText);
      if (select) next.set('$select', select);
      next.set('$skiptoken', deps.skipTokens.encode(scope, offset + top));
      body['@odata.nextLink'] =
        `${ctx.baseUrl}/users/${encodeURIComponent(userId)}/calendarView?${next.toString()}`;
    }
    const applied = preferenceApplied({
      immutableIds: prefs.immutableIds,
      ...(topText === null && prefs.maxPageSize !== undefined ? { maxPageSize: top } : {}),
    });
    return ok(body, 200, applied);
  });
};

function isIdType(value: unknown): value is ExchangeIdType {
  return typeof value === 'string' && (ID_TYPES as readonly string[]).includes(value);
}

const translateExchangeIds: Route = (deps, ctx, req, [userId = '']) => {
  const ref = mailboxOf(deps, ctx, userId, true);
  if (!isRef(ref)) return ref;
  return withinOutlookLimits(deps, ctx, ref.id, () => {
    const ids = errorIds(deps, ctx);
    const body = req.body as
      { inputIds?: unknown; sourceIdType?: unknown; targetIdType?: unknown } | undefined;
    const inputIds = body?.inputIds;
    if (!Array.isArray(inputIds) || inputIds.length === 0 || !inputIds.every((id) => typeof id === 'string'))
      return graphError(ids, 400, 'ErrorInvalidParameter', 'inputIds must be a non-empty array of strings.');
    if (inputIds.length > 1000)
      return graphError(
        ids,
        400,
        'ErrorInvalidParameter',
        `inputIds has ${inputIds.length} ids; at most 1000 are allowed per request.`,
      );
    if (!isIdType(body?.sourceIdType) || !isIdType(body?.targetIdType))
      return graphError(
        ids,
        400,
        'ErrorInvalidParameter',
        `sourceIdType and targetIdType must be one of ${ID_TYPES.join(', ')}.`,
      );
    const results = deps.mailboxes.translateIds(
      ref,
      inputIds as string[],
      body.sourceIdType,
      body.targetIdType,
    );
    const value = results.map((r) =>
      r.targetId !== null
        ? { sourceId: r.sourceId, targetId: r.targetId }
        : {
            sourceId: r.sourceId,
            errorDetails: {
              code: 'ErrorInvalidIdMalformed',
              message: `Id is malformed or is not a ${String(body.sourceIdType)} of this mailbox.`,
            },
          },
    );
    return ok({
      '@odata.context': `${ctx.baseUrl}/$metadata#Collection(microsoft.graph.convertIdResult)`,
      value,
    });
  });
};

/** Delegated mail calls: the caller's own mailbox, counted against the same Outlook limits. */
function ownMailbox(deps: HandlerDeps, ctx: CallContext, ...scopes: string[]): GraphResponse | undefined {
  const ids = errorIds(deps, ctx);
  if (ctx.principal.kind !== 'user')
    return graphError(
      ids,
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    );
  if (!hasScope(ctx.principal, ...scopes))
    return graphError(ids, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  return undefined;
}

function sender(ctx: CallContext) {
  return {
    emailAddress: {
      name: ctx.principal.claims.name ?? '',
      address: ctx.principal.claims.preferred_username ?? '',
    },
  };
}

const sendMail: Route = (deps, ctx, req) => {
  const denied = ownMailbox(deps, ctx, 'Mail.Send');
  if (denied) return denied;
  const mailbox = ctx.principal.claims.oid;
  return withinOutlookLimits(deps, ctx, mailbox, () => {
    const ids = errorIds(deps, ctx);
    const body = req.body as { message?: unknown; saveToSentItems?: unknown } | undefined;
    const message = parseMessage(body?.message);
    if (typeof message === 'string') return graphError(ids, 400, 'ErrorInvalidRecipients', message);
    const count = recipientCount(message);
    if (count === 0)
      return graphError(
        ids,
        400,
        'ErrorInvalidRecipients',
        'At least one recipient is required, but none were found.',
      );
    const decision = deps.sending.trySend(mailbox, count);
    if (!decision.ok) {
      if (decision.reason === 'too_many_recipients')
        return graphError(
          ids,
          400,
          'ErrorTooManyRecipients',
          `550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients: ${count} is more than the limit of ${deps.limits.recipientsPerMessage} per message.`,
        );
      if (decision.reason === 'rate')
        return throttled(
          ids,
          'ErrorExceededMessageLimit',
          `Mailbox is over its sending rate limit of ${deps.limits.messagesPerMinute} messages per minute.`,
          decision.retryAfterMs,
        );
      return graphError(
        ids,
        403,
        'ErrorSubmissionQuotaExceeded',
        `554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message: Cannot submit message. Recipient limit of ${deps.limits.recipientsPerDay} per 24 hours reached.`,
      );
    }
    // Microsoft's sample sends saveToSentItems as the string "false"; honour both forms.
    const save = !(body?.saveToSentItems === false || body?.saveToSentItems === 'false');
    if (save)
      deps.mail.add(mailbox, {
        resource: messageResource(message, { now: deps.now(), isDraft: false, from: sender(ctx) }),
        createdMs: deps.now().getTime(),
      });
    deps.stats?.recordSideEffect('sendMail', mailbox, 'executed');
    for (const r of [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients])
      deps.stats?.recordSideEffect('mail-recipient', r.emailAddress.address.toLowerCase(), 'executed');
    return { status: 202, headers: {} };
  });
};

const createDraft: Route = (deps, ctx, req) => {
  const denied = ownMailbox(deps, ctx, 'Mail.ReadWrite');
  if (denied) return denied;
  const mailbox = ctx.principal.claims.oid;
  return withinOutlookLimits(deps, ctx, mailbox, () => {
    const message = parseMessage(req.body ?? {});
    if (typeof message === 'string')
      return graphError(errorIds(deps, ctx), 400, 'ErrorInvalidRecipients', message);
    const resource = messageResource(message, { now: deps.now(), isDraft: true, from: sender(ctx) });
    deps.mail.add(mailbox, { resource, createdMs: deps.now().getTime() });
    for (const r of [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients])
      deps.stats?.recordSideEffect('draft-recipient', r.emailAddress.address.toLowerCase(), 'executed');
    return ok(
      { '@odata.context': `${ctx.baseUrl}/$metadata#users('${mailbox}')/messages/$entity`, ...resource },
      201,
    );
  });
};

const listMessages: Route = (deps, ctx, req) => {
  const denied = ownMailbox(deps, ctx, 'Mail.ReadWrite', 'Mail.Read');
  if (denied) return denied;
  const mailbox = ctx.principal.claims.oid;
  return withinOutlookLimits(deps, ctx, mailbox, () => {
    const ids = errorIds(deps, ctx);
    const topText = queryValue(req.query, '$top');
    if (topText !== null && !/^\d+$/.test(topText))
      return graphError(ids, 400, 'BadRequest', `Invalid $top value '${topText}'.`);
    const top = Math.min(MAX_PAGE, Math.max(1, Number(topText ?? DEFAULT_PAGE)));
    const select = queryValue(req.query, '$select');
    const scope = `messages|${mailbox}|${top}|${select ?? ''}`;
    const skipText = queryValue(req.query, '$skiptoken');
    const offset = skipText === null ? 0 : deps.skipTokens.decode(scope, skipText);
    if (offset === null)
      return graphError(
        ids,
        400,
        'BadRequest',
        'The $skiptoken is not valid for this request. Follow @odata.nextLink exactly as it was returned.',
      );
    const all = deps.mail.list(mailbox);
    const value = all
      .slice(offset, offset + top)
      .map((m) => applySelect(m.resource, select, ['id', '@odata.etag']));
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.baseUrl}/$metadata#users('${mailbox}')/messages${select ? `(${select})` : ''}`,
      value,
    };
    if (offset + top < all.length) {
      const next = new URLSearchParams();
      if (topText !== null) next.set('$top', topText);
      if (select) next.set('$select', select);
      next.set('$skiptoken', deps.skipTokens.encode(scope, offset + top));
      body['@odata.nextLink'] = `${ctx.baseUrl}/me/messages?${next.toString()}`;
    }
    return ok(body);
  });
};

const ROUTES: Array<{ method: string; pattern: RegExp; route: Route }> = [
  { method: 'GET', pattern: /^\/me$/i, route: (d, c) => me(d, c) },
  { method: 'POST', pattern: /^\/me\/sendMail$/i, route: sendMail },
  { method: 'POST', pattern: /^\/me\/messages$/i, route: createDraft },
  { method: 'GET', pattern: /^\/me\/messages$/i, route: listMessages },
  { method: 'GET', pattern: /^\/users\/([^/]+)$/i, route: getUser },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/calendar$/i, route: getCalendar },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/events\/([^/]+)$/i, route: getEvent },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/calendarView$/i, route: calendarView },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/translateExchangeIds$/i, route: translateExchangeIds },
];

export async function handleGraphCall(
  deps: HandlerDeps,
  ctx: CallContext,
  req: GraphRequest,
): Promise<GraphResponse> {
  const ids = errorIds(deps, ctx);
  let methodMismatch = false;
  for (const { method, pattern, route } of ROUTES) {
    const match = pattern.exec(req.path);
    if (!match) continue;
    if (method !== req.method) {
      methodMismatch = true;
      continue;
    }
    let params: string[];
    try {
      params = match.slice(1).map((p) => decodeURIComponent(p ?? ''));
    } catch {
      return graphError(ids, 400, 'BadRequest', 'The request URL is not valid.');
    }
    return route(deps, ctx, req, params);
  }
  if (methodMismatch)
    return graphError(
      ids,
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target.',
    );
  return graphError(
    ids,
    400,
    'BadRequest',
    `Resource not found for the segment '${req.path.split('/')[1] ?? ''}'.`,
  );
}
