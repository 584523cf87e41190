import {
  ConsoleError,
  issuesFromZod,
  isMethodName,
  MAX_PAYLOAD_BYTES,
  methods,
  type Envelope,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
  type OperatorRole,
  type Permission,
} from '../../../shared/contract/index.ts';
import { isAllowed, type AccessScope } from '../auth/access-policy.ts';
import type { Logger } from '../log/logger.ts';
import { toConsoleError } from './error-mapping.ts';

export interface Operator {
  /** Stable id for the audit log: the account's object id, or `signed-out`. */
  id: string;
  /** From the id token's app roles (electron/core/auth/roles.ts); `viewer` when signed out. */
  role: OperatorRole;
  /**
   * The OS account and machine the call was made from, where that is who acts: the CLI holds the
   * platform key itself, so its operator is the OS user on that host (for the audit log).
   */
  origin?: { osUser: string; host: string };
}

export interface CallContext {
  transport: 'ipc' | 'http' | 'cli' | 'test';
  operator: Operator;
  signal?: AbortSignal;
}

export type Handler<K extends MethodName> = (
  input: MethodParsedInput<K>,
  context: CallContext,
) => Promise<MethodOutput<K>> | MethodOutput<K>;

export type Handlers = { [K in MethodName]: Handler<K> };

export type Dispatch = (method: unknown, input: unknown, context: CallContext) => Promise<Envelope<unknown>>;

export { isAllowed, permissionsOf } from '../auth/access-policy.ts';

/** UTF-8 size of the JSON form, or null if the value cannot be represented as JSON at all. */
export function jsonByteLength(value: unknown, limit: number): number | null {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return null;
  }
  if (text === undefined) return 0;
  // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= limit) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

function fail(error: ConsoleError): Envelope<never> {
  return { ok: false, error: error.toApiError() };
}

/**
 * The one door every call comes through, whatever the transport: check the method exists, the
 * payload's size, the caller's permission and the input's shape; run the handler; check the
 * output's shape (which also strips fields the contract does not name, so nothing leaks by
 * accident); and turn every failure into a typed error without stack traces or payload contents.
 */
export function createDispatcher(options: {
  handlers: Handlers;
  logger: Logger;
  maxPayloadBytes?: number;
  /** Demo or real platform, asked per call (signed out, the demo allows more); a real platform by default. */
  scope?: () => AccessScope;
  /** The audit hook: told of every known call that reached the permission check, with its outcome. */
  onCall?: (call: { method: MethodName; input: unknown; context: CallContext; outcome: string }) => void;
}): Dispatch {
  const limit = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
  const { logger } = options;
  const scope = options.scope ?? (() => 'platform' as const);
  const record = (method: MethodName, input: unknown, context: CallContext, outcome: string): void => {
    try {
      options.onCall?.({ method, input, context, outcome });
    } catch (error) {
      logger.error('audit hook failed', {
        method,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const refuse = (name: MethodName, role: OperatorRole, permission: Permission): Envelope<never> => {
    logger.warn('call refused: forbidden', { method: name, role, permission });
    const message =
      role === 'viewer'
        ? `Sign in with a console role to do this (it needs the "${permission}" permission).`
        : `Your role (${role}) may not do this: it needs the "${permission}" permission.`;
    return fail(new ConsoleError('forbidden', message));
  };

  return async (name, rawInput, context) => {
    if (!isMethodName(name)) {
      logger.warn('call refused: unknown method', {
        transport: context.transport,
        method: String(name).slice(0, 80),
      });
      return fail(new ConsoleError('unknown_method', 'This console does not know that request.'));
    }
    const spec = methods[name];
    const size = jsonByteLength(rawInput === undefined ? {} : rawInput, limit);
    if (size === null) {
      logger.warn('call refused: input is not JSON', { method: name, transport: context.transport });
      return fail(new ConsoleError('bad_input', 'The request could not be read.'));
    }
    if (size > limit) {
      logger.warn('call refused: payload too large', {
        method: name,
        transport: context.transport,
        bytes: size,
      });
      return fail(new ConsoleError('payload_too_large', `The request is larger than ${limit} bytes.`));
    }
    const role = context.operator.role;
    const where = scope();
    if (!isAllowed(role, spec.permission, where)) {
      record(name, rawInput, context, 'forbidden');
      return refuse(name, role, spec.permission);
    }
    const parsed = spec.input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error);
      logger.warn('call refused: bad input', { method: name, transport: context.transport, issues });
      return fail(
        new ConsoleError('bad_input', 'The request has fields that are missing or not valid.', { issues }),
      );
    }
    const stronger = (spec.permissionFor as ((input: unknown) => Permission | null) | undefined)?.(
      parsed.data,
    );
    if (stronger != null && !isAllowed(role, stronger, where)) return refuse(name, role, stronger);
    let result: unknown;
    try {
      const handler = options.handlers[name] as Handler<MethodName>;
      result = await handler(parsed.data as never, context);
    } catch (error) {
      const mapped = toConsoleError(error);
      if (mapped !== null) {
        logger.info('call failed', { method: name, code: mapped.code });
        record(name, parsed.data, context, mapped.code);
        return fail(mapped);
      }
      record(name, parsed.data, context, 'internal');
      logger.error('call crashed', {
        method: name,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      return fail(
        new ConsoleError('internal', 'Something went wrong inside the console. The details are in the log.'),
      );
    }
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      logger.error('handler returned a value outside the contract', {
        method: name,
        issues: issuesFromZod(checked.error),
      });
      return fail(
        new ConsoleError(
          'internal',
          'The console produced an answer it could not vouch for. The details are in the log.',
        ),
      );
    }
    record(name, parsed.data, context, 'ok');
    return { ok: true, value: checked.data };
  };
}
