import { z } from 'zod';
import { event, method, PERMISSIONS } from './define.ts';

/**
 * Operator sign-in. Tokens never cross this contract: the renderer learns who is signed in, with
 * which role and which permissions, and the URLs/codes a person needs to finish a sign-in.
 */

/** The console role from the id token's `roles` claim; `viewer` is signed out or without a console role. */
export const OperatorRole = z.enum(['director', 'support', 'viewer']);
export type OperatorRole = z.infer<typeof OperatorRole>;

export const SignInFlow = z.enum(['browser', 'deviceCode']);
export type SignInFlow = z.infer<typeof SignInFlow>;

export const DeviceCodePrompt = z.object({
  userCode: z.string().min(1).max(64),
  verificationUri: z.string().max(2048),
  /** ISO time after which the code no longer works. */
  expiresAt: z.string(),
  message: z.string().max(1000),
});
export type DeviceCodePrompt = z.infer<typeof DeviceCodePrompt>;

export const AuthStatus = z.object({
  state: z.enum(['signed-out', 'signing-in', 'signed-in', 'expired']),
  account: z
    .object({
      name: z.string().max(300),
      username: z.string().max(300),
      /** The app roles the token carried, e.g. `Migration.Director`. */
      appRoles: z.array(z.string().max(100)).max(20),
    })
    .nullable(),
  role: OperatorRole,
  permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length),
  /** A sign-in in progress: which flow, and what the person must do. */
  pending: z
    .object({
      flow: SignInFlow,
      /** Browser flow: the sign-in page, for a window that must open it itself. */
      authorizeUrl: z.string().max(8192).nullable(),
      deviceCode: DeviceCodePrompt.nullable(),
    })
    .nullable(),
  identity: z.object({
    kind: z.enum(['demo', 'entra', 'none']),
    /** Host of the authority (`login.microsoftonline.com`, or the demo's `localhost:<port>`). */
    authorityHost: z.string().max(300).nullable(),
    detail: z.string().max(500).nullable(),
  }),
  tokenCache: z.object({
    persisted: z.boolean(),
    /** Why it stays in memory only (shown in the UI), or null. */
    explanation: z.string().max(1000).nullable(),
  }),
  /** Something the operator should know that did not stop the sign-in (e.g. this computer's clock is off). */
  warning: z.string().max(1000).nullable(),
  /** The last sign-in failure, written for the operator, with whether trying again can help. */
  lastError: z
    .object({ code: z.string().max(64), message: z.string().max(1000), retryable: z.boolean() })
    .nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const authMethods = {
  'auth.status': method({
    summary: 'Who is signed in, with which role and permissions, and any sign-in in progress.',
    permission: 'read',
    input: z.object({}).strict(),
    output: AuthStatus,
  }),
  'auth.signIn': method({
    summary:
      'Starts a sign-in (system browser or device code). Answers at once; progress arrives as auth.changed.',
    permission: 'read',
    input: z.object({ flow: SignInFlow, user: z.string().max(300).optional() }).strict(),
    output: AuthStatus,
  }),
  'auth.cancel': method({
    summary: 'Cancels the sign-in in progress, if any.',
    permission: 'read',
    input: z.object({}).strict(),
    output: AuthStatus,
  }),
  'auth.signOut': method({
    summary: 'Signs out: forgets the account and clears the token cache.',
    permission: 'read',
    input: z.object({}).strict(),
    output: AuthStatus,
  }),
} as const;

export const authEvents = {
  'auth.changed': event({ summary: 'The sign-in state changed.', payload: AuthStatus }),
  'auth.deviceCode': event({
    summary: 'A device-code sign-in needs the person to enter this code.',
    payload: DeviceCodePrompt,
  }),
  'auth.openUrl': event({
    summary: 'Browser host only: open this sign-in page (the host cannot open the system browser itself).',
    payload: z.object({ url: z.string().max(8192) }),
  }),
} as const;
