import { z } from 'zod';
import { event, method } from './define.ts';

export const ThemeName = z.enum(['system', 'light', 'dark', 'high-contrast']);
export type ThemeName = z.infer<typeof ThemeName>;

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

export const preferencesMethods = {
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

export const preferencesEvents = {
  'preferences.changed': event({
    summary: 'Preferences changed (in this or another window).',
    payload: Preferences,
  }),
} as const;
