import type { z } from 'zod';
import { appEvents, appMethods } from './app.ts';
import { auditMethods } from './audit.ts';
import { disconnectMethods } from './disconnect.ts';
import { jobsEvents, jobsMethods } from './jobs.ts';
import { authEvents, authMethods } from './auth.ts';
import { dashboardMethods } from './dashboard.ts';
import { dataSourceMethods } from './data-source.ts';
import { mailMethods } from './mail.ts';
import { migrationMethods } from './migration.ts';
import { preferencesEvents, preferencesMethods } from './preferences.ts';
import { rosterEvents, rosterMethods } from './roster.ts';
import { settingsEvents, settingsMethods } from './settings.ts';
import { supportMethods } from './support.ts';
import { userMailMethods } from './user-mail.ts';
import { remindersMethods } from './reminders.ts';
import { verifyMethods } from './verify.ts';
import { viewsMethods } from './views.ts';
import type { EventSpec, MethodSpec } from './define.ts';

export * from './define.ts';
export * from './errors.ts';
export * from './app.ts';
export * from './auth.ts';
export * from './dashboard.ts';
export * from './data-source.ts';
export * from './mail.ts';
export * from './migration.ts';
export * from './preferences.ts';
export * from './roster-query.ts';
export * from './roster.ts';
export * from './settings.ts';
export * from './support.ts';
export * from './user-mail.ts';
export * from './reminders.ts';
export * from './verify.ts';
export * from './views.ts';
export * from './jobs.ts';
export * from './disconnect.ts';
export * from './audit.ts';

/**
 * The one list of everything the renderer may ask of the main process. The preload, the main
 * process's IPC registration, the browser host's routes and the renderer client are all derived
 * from it: adding a method is one entry here plus one handler in the core. Each file holds one
 * method namespace (`dashboard.*` in dashboard.ts, `preferences.*` in preferences.ts, ...).
 */
export const methods = {
  ...appMethods,
  ...preferencesMethods,
  ...migrationMethods,
  ...dataSourceMethods,
  ...rosterMethods,
  ...viewsMethods,
  ...dashboardMethods,
  ...authMethods,
  ...settingsMethods,
  ...verifyMethods,
  ...supportMethods,
  ...userMailMethods,
  ...mailMethods,
  ...remindersMethods,
  ...jobsMethods,
  ...disconnectMethods,
  ...auditMethods,
} as const satisfies Record<string, MethodSpec>;

/** Everything the main process may push to the renderer. */
export const events = {
  ...appEvents,
  ...preferencesEvents,
  ...rosterEvents,
  ...authEvents,
  ...settingsEvents,
  ...jobsEvents,
} as const satisfies Record<string, EventSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods & string;
export type MethodInput<K extends MethodName> = z.input<Methods[K]['input']>;
export type MethodParsedInput<K extends MethodName> = z.output<Methods[K]['input']>;
export type MethodOutput<K extends MethodName> = z.output<Methods[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayload<K extends EventName> = z.output<Events[K]['payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

type Namespace<K extends string> = K extends `${infer NS}.${string}` ? NS : never;

/**
 * The renderer's view of the contract: `api.app.info({})`. Both transports (Electron preload and
 * the browser host) implement exactly this shape.
 */
export type ConsoleApi = {
  [NS in Namespace<MethodName>]: {
    [K in MethodName as K extends `${NS}.${infer F}` ? F : never]: (
      input: MethodInput<K>,
    ) => Promise<MethodOutput<K>>;
  };
};

/** Splits `app.info` into `['app', 'info']`; every method name has exactly one dot. */
export function splitMethodName(name: MethodName): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}
