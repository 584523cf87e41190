import type { z } from 'zod';

/**
 * Who may call a method. The main process checks it against the operator's role before the
 * handler runs (roles arrive with the sign-in issue; until then every operator is a director).
 */
export type Permission = 'read' | 'act-one' | 'bulk' | 'send' | 'compose' | 'settings';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly permission: Permission;
  readonly summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export function event<P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> {
  return spec;
}

/** IPC channel prefixes: the main process refuses any channel without them (as VS Code does). */
export const INVOKE_CHANNEL_PREFIX = 'console:invoke:';
export const EVENT_CHANNEL_PREFIX = 'console:event:';

/** Largest accepted input, measured as UTF-8 JSON. Bigger payloads get `payload_too_large`. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
