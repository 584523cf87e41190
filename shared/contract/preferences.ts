import { z } from 'zod';
import { event, method } from './define.ts';

export const ThemeName = z.enum(['system', 'light', 'dark', 'high-contrast']);
export type ThemeName = z.infer<typeof ThemeName>;

export const Preferences = z.object({
  theme: ThemeName,
  navCollapsed: z.boolean(),
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
