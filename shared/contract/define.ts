import type { z } from 'zod';

/**
 * Who may call a method. The main process checks it against the operator's role (from the id
 * token's app roles) before the handler runs; the table lives in electron/core/ipc/dispatcher.ts.
 * - read: look at anything (also signed out); act-one: resync, magic link, verify for one user;
 * - force-disconnect: force-disconnect one user; bulk: act on many users; send: send announcements;
 * - compose: draft and export announcements; settings: change the console's settings and secrets;
 * - sign-in-setup: the tenant and client id, which must be settable before anyone can sign in.
 */
export const PERMISSIONS = [
  'read',
  'act-one',
  'force-disconnect',
  'bulk',
  'send',
  'compose',
  'settings',
  'sign-in-setup',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

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
