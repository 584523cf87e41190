import { z } from 'zod';
import { event, method } from './define.ts';
import { API_KEY_CHARACTERS, platformUrlProblem } from '../domain/platform-url.ts';

/**
 * The console's settings. Secrets are write-only: the platform API key goes in through
 * `settings.setPlatformKey` and only "configured, ends in …1a2b" comes back.
 */

const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048)
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' && url.username === '' && url.password === '';
      } catch {
        return false;
      }
    }, `${what} must be an https:// address without a user name or password.`);

/** Platform URLs may be http only on this computer (a local test platform); anything else is https. */
export const PlatformUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (value) => platformUrlProblem(value) === null,
    'The platform URL must be an https:// address (http:// only for this computer), without a user name or password.',
  );

/** A tenant id (GUID), a tenant domain (contoso.onmicrosoft.com) or a full https authority URL. */
export const TenantOrAuthority = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine(
    (value) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ||
      /^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,}$/i.test(value) ||
      /^(organizations|common)$/i.test(value) ||
      httpsUrl('').safeParse(value).success,
    'Enter the directory (tenant) id, a tenant domain such as contoso.onmicrosoft.com, or an https:// authority URL.',
  );

export const ClientId = z
  .string()
  .trim()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'The application (client) id is a GUID, as shown on the app registration’s Overview page.',
  );

export const Scope = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z0-9._:/-]+$/,
    'A scope is a name such as User.Read or https://graph.microsoft.com/Mail.Send.',
  );

export const Settings = z.object({
  platform: z.object({
    url: z.string().max(2048).nullable(),
    /** Write-only secret: whether one is kept, and its last four characters. */
    key: z.object({ configured: z.boolean(), endsWith: z.string().max(4).nullable() }),
  }),
  signIn: z.object({
    /** The configured tenant/authority; null uses the demo identity provider when the demo runs. */
    authority: z.string().max(500).nullable(),
    clientId: z.string().max(100).nullable(),
    scopes: z.array(z.string().max(200)).max(30),
  }),
  universityName: z.string().max(200).nullable(),
  helpArticleUrl: z.string().max(2048).nullable(),
  refreshIntervalMinutes: z.number().int(),
  secrets: z.object({
    persisted: z.boolean(),
    explanation: z.string().max(1000).nullable(),
    remedy: z.string().max(1000).nullable(),
  }),
  /** The folder the console keeps its data in (settings, sealed secrets, the roster cache); null when it keeps none. */
  dataFolder: z.string().max(1000).nullable().optional(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsChange = z
  .object({
    universityName: z.string().trim().min(1, 'Enter a name or leave the field empty.').max(200).nullable(),
    helpArticleUrl: httpsUrl('The help article').nullable(),
    refreshIntervalMinutes: z
      .number()
      .int('Use whole minutes.')
      .min(1, 'Refresh at most once a minute.')
      .max(24 * 60, 'Refresh at least once a day.'),
  })
  .partial()
  .strict();
export type SettingsChange = z.infer<typeof SettingsChange>;

/** Sign-in configuration: changing it signs the operator out (the old tokens belong to another app). */
export const SignInSettingsChange = z
  .object({
    authority: TenantOrAuthority.nullable(),
    clientId: ClientId.nullable(),
    scopes: z.array(Scope).min(1, 'Ask for at least one scope (User.Read).').max(30),
  })
  .partial()
  .strict();
export type SignInSettingsChange = z.infer<typeof SignInSettingsChange>;

export const PlatformKeyChange = z
  .object({
    platformUrl: PlatformUrl.nullable(),
    apiKey: z
      .string()
      .trim()
      .min(8, 'An API key is at least 8 characters.')
      .max(512)
      .regex(
        API_KEY_CHARACTERS,
        'An API key is letters, digits and punctuation only: no spaces, line breaks, control or direction characters. Copy it again from the platform.',
      )
      .nullable(),
  })
  .strict()
  .refine((value) => (value.platformUrl === null) === (value.apiKey === null), {
    message: 'Give both the platform URL and its API key, or neither to go back to the demo.',
    path: ['apiKey'],
  });

export const settingsMethods = {
  'settings.get': method({
    summary: 'The settings, with secrets reduced to "configured, ends in …".',
    permission: 'read',
    input: z.object({}).strict(),
    output: Settings,
  }),
  'settings.update': method({
    summary: 'Changes the university name, help link or refresh interval; they apply at once.',
    permission: 'settings',
    input: SettingsChange,
    output: Settings,
  }),
  'settings.setSignIn': method({
    summary: 'Changes the Microsoft tenant/authority, client id or scopes; signs the operator out.',
    permission: 'sign-in-setup',
    input: SignInSettingsChange,
    output: Settings,
  }),
  'settings.setPlatformKey': method({
    summary:
      'Checks the platform URL and API key with GET /migration, then seals and keeps them (null, null: back to the demo).',
    permission: 'settings',
    input: PlatformKeyChange,
    output: Settings,
  }),
  'settings.clearCache': method({
    summary: 'Deletes local caches that can be fetched again (never settings or secrets).',
    permission: 'settings',
    input: z.object({}).strict(),
    output: z.object({ cleared: z.array(z.string().max(200)).max(50) }),
  }),
  'settings.exportDiagnostics': method({
    summary: 'A diagnostics file for support, without personal data, tokens or keys.',
    permission: 'read',
    input: z.object({}).strict(),
    output: z.object({ filename: z.string().max(200), json: z.string().max(200_000) }),
  }),
} as const;

export const settingsEvents = {
  'settings.changed': event({
    summary: 'The settings changed (in this or another window).',
    payload: Settings,
  }),
} as const;
