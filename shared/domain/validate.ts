import type { z } from 'zod';

/**
 * Turning a platform reply into a typed value, or into an error a support person can act on.
 * A reply is either used whole or not at all: callers get the parsed value or an exception,
 * never a half-validated object.
 */

export interface ViolationIssue {
  /** Dotted path inside the reply, e.g. `items.3.status`. `(root)` for the reply itself. */
  path: string;
  message: string;
}

export interface ReplyContext {
  /** What the reply was supposed to be, e.g. `Connection` or `GET /connections`. */
  resource: string;
  /** The user the request was about, when there is one. */
  userId?: string;
}

/** A reply that does not match the contract. Never carries reply values except enum values. */
export class ContractViolationError extends Error {
  readonly resource: string;
  readonly userId: string | undefined;
  readonly issues: readonly ViolationIssue[];

  constructor(message: string, context: ReplyContext & { issues: readonly ViolationIssue[] }) {
    super(message);
    this.name = 'ContractViolationError';
    this.resource = context.resource;
    this.userId = context.userId;
    this.issues = context.issues;
  }
}

/** The platform sent an enum value (or map key) this console does not know: usually a newer platform. */
export class UnknownEnumValueError extends ContractViolationError {
  readonly field: string;
  readonly value: string;
  readonly allowed: readonly string[];

  constructor(
    context: ReplyContext & {
      issues: readonly ViolationIssue[];
      field: string;
      value: string;
      allowed: readonly string[];
    },
  ) {
    const who = context.userId === undefined ? '' : ` for user ${context.userId}`;
    super(
      `The platform sent the value "${context.value}" in field "${context.field}"${who} (${context.resource}), ` +
        `which this console does not know (known: ${context.allowed.join(', ') || 'none'}). ` +
        'The platform is probably newer than this console: update the console before acting on this data.',
      context,
    );
    this.name = 'UnknownEnumValueError';
    this.field = context.field;
    this.value = context.value;
    this.allowed = context.allowed;
  }
}

function pathToString(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((p) => String(p)).join('.');
}

/** The userId of the innermost object on `path` that has one (so `items.3.status` names user 3). */
export function userIdAlongPath(data: unknown, path: readonly PropertyKey[]): string | undefined {
  let found: string | undefined;
  let node: unknown = data;
  for (let i = 0; i <= path.length; i += 1) {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const candidate = (node as Record<string, unknown>)['userId'];
      if (typeof candidate === 'string' && candidate.length > 0 && candidate.length <= 200) found = candidate;
    }
    if (i === path.length || node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[path[i] as PropertyKey];
  }
  return found;
}

type RawIssue = z.core.$ZodIssue & { input?: unknown };

/** Issues of nested unions are flattened so an unknown enum deep inside a union is still found. */
function flatten(
  issues: readonly RawIssue[],
  prefix: readonly PropertyKey[] = [],
): Array<{ issue: RawIssue; path: PropertyKey[] }> {
  const out: Array<{ issue: RawIssue; path: PropertyKey[] }> = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      for (const branch of issue.errors) out.push(...flatten(branch as RawIssue[], path));
    } else {
      out.push({ issue, path });
    }
  }
  return out;
}

function unknownEnum(entry: {
  issue: RawIssue;
  path: PropertyKey[];
}): { field: string; value: string; allowed: string[] } | null {
  const { issue, path } = entry;
  if (
    issue.code === 'invalid_value' &&
    typeof issue.input === 'string' &&
    issue.values.every((v) => typeof v === 'string')
  ) {
    return { field: pathToString(path), value: issue.input, allowed: issue.values as string[] };
  }
  // A closed map (counts by status or role) with a key outside the enum.
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    const key = issue.keys[0] as string;
    return { field: pathToString([...path, key]), value: key, allowed: [] };
  }
  return null;
}

/**
 * Parses a reply with its schema. Throws `UnknownEnumValueError` when the only problem is a value
 * this console does not know, `ContractViolationError` for anything else (naming the fields and,
 * where the reply is about a user, the userId).
 */
export function parsePlatformReply<S extends z.ZodType>(
  schema: S,
  data: unknown,
  context: ReplyContext,
): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const entries = flatten(result.error.issues as RawIssue[]);
  const issues: ViolationIssue[] = entries.slice(0, 50).map(({ issue, path }) => ({
    path: pathToString(path),
    message: issue.message.slice(0, 300),
  }));
  const firstPath = entries[0]?.path ?? [];
  const userId = context.userId ?? userIdAlongPath(data, firstPath);
  const withUser: ReplyContext =
    userId === undefined ? { resource: context.resource } : { resource: context.resource, userId };
  for (const entry of entries) {
    const found = unknownEnum(entry);
    if (found === null) continue;
    // The union branches all fail on an unknown value; report the branch that names it.
    const enumUser = context.userId ?? userIdAlongPath(data, entry.path);
    return throwUnknown({
      ...withUser,
      ...(enumUser === undefined ? {} : { userId: enumUser }),
      issues,
      ...found,
    });
  }
  const who = userId === undefined ? '' : ` (user ${userId})`;
  const fields = [...new Set(issues.map((i) => i.path))].slice(0, 5).join(', ');
  throw new ContractViolationError(
    `The platform's reply for ${context.resource}${who} does not match the contract: ${fields}. ` +
      'Nothing from this reply was used. If it keeps happening, send the console log to support.',
    { ...withUser, issues },
  );
}

function throwUnknown(
  args: ReplyContext & { issues: ViolationIssue[]; field: string; value: string; allowed: string[] },
): never {
  throw new UnknownEnumValueError(args);
}
