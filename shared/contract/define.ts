import type { z } from 'zod';

/**
 * Who may call a method. The main process checks it against the operator's role (from the id token's app
 * roles, accepted only from the configured tenant and app) before the handler runs; the role table lives in
 * electron/core/auth/access-policy.ts.
 * - read: look at counts, rows and one user's connection (also signed out);
 * - export: take personal data out of the console (CSV of names and emails);
 * - change-shared: change or delete state other operators share or pay for (saved views, full syncs);
 * - act-one: resync, magic link, verify for one user; force-disconnect: force-disconnect one user;
 * - bulk: act on many users (jobs); send: send announcements; compose: draft and export announcements;
 * - settings: change the console's settings and secrets;
 * - sign-in-setup: the tenant and client id, which must be settable before anyone can sign in.
 * Signed out, a console on a real platform allows `read` and `sign-in-setup` only; the demo also allows
 * `export` and `change-shared` (its data is invented). A new destructive method declares `bulk`,
 * `force-disconnect` or `send` (directors only); one Support may do declares `act-one` or `compose`.
 */
export const PERMISSIONS = [
  'read',
  'export',
  'change-shared',
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
  /** Checked before the input is read: who may call the method at all. */
  readonly permission: Permission;
  /**
   * A stronger permission some inputs need (a full sync rather than an incremental one), checked after the
   * input is parsed; null: `permission` is enough.
   */
  readonly permissionFor?: (input: z.output<I>) => Permission | null;
  /**
   * The call holds much memory until its reply has left (an export of every row): transports bound how many
   * run at once (the browser host: electron/host/heavy-calls.ts).
   */
  readonly heavy?: true;
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
