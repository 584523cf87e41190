import { z } from 'zod';
import { event, method } from './define.ts';

export const ThemeName = z.enum(['system', 'light', 'dark', 'high-contrast']);
export type ThemeName = z.infer<typeof ThemeName>;

export const DataSource = z.object({
  kind: z.enum(['demo', 'platform', 'none']),
  /** Shown in the status bar: "Demo sandbox", or the platform's host name. */
  label: z.string().max(200),
  /** ISO timestamp of the last successful refresh from the data source, null if never. */
  lastRefreshedAt: z.string().nullable(),
  state: z.enum(['starting', 'ready', 'offline', 'error']),
  detail: z.string().max(500).nullable(),
});
export type DataSource = z.infer<typeof DataSource>;

export const AppInfo = z.object({
  productName: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  dataSource: DataSource,
});
export type AppInfo = z.infer<typeof AppInfo>;

/** The Users table's columns as the operator arranged them: hidden ones and dragged widths (px). */
export const UsersColumnsPreference = z
  .object({
    hidden: z.array(z.string().min(1).max(40)).max(40),
    widths: z.record(z.string().min(1).max(40), z.number().int().min(40).max(1200)),
  })
  .strict();
export type UsersColumnsPreference = z.infer<typeof UsersColumnsPreference>;

export const Preferences = z.object({
  theme: ThemeName,
  navCollapsed: z.boolean(),
  /** When the operator last opened the Dashboard: "what changed since your last visit" starts here. */
  dashboardVisitedAt: z.iso.datetime({ offset: true }).optional(),
  usersColumns: UsersColumnsPreference.optional(),
});
export type Preferences = z.infer<typeof Preferences>;

export const appMethods = {
  'app.info': method({
    summary: 'Product, version, which host runs the UI and the state of the data source.',
    permission: 'read',
    input: z.object({}).strict(),
    output: AppInfo,
  }),
  'app.openExternal': method({
    summary: 'Opens an allowlisted https link in the system browser.',
    permission: 'read',
    input: z.object({ url: z.string().min(1).max(2048) }).strict(),
    output: z.object({ opened: z.boolean(), reason: z.string().max(300).nullable() }),
  }),
  'preferences.get': method({
    summary: "The operator's UI preferences.",
    permission: 'read',
    input: z.object({}).strict(),
    output: Preferences,
  }),
  'preferences.set': method({
    summary: 'Changes some UI preferences and returns them all.',
    permission: 'read',
    input: Preferences.partial().strict(),
    output: Preferences,
  }),
} as const;

export const appEvents = {
  'app.dataSource': event({
    summary: 'The data source changed state or finished a refresh.',
    payload: DataSource,
  }),
  'preferences.changed': event({
    summary: 'Preferences changed (in this or another window).',
    payload: Preferences,
  }),
} as const;
