import type { Envelope } from './errors.ts';
import type { EventName, EventPayload, MethodName } from './index.ts';

type Namespace<K extends string> = K extends `${infer NS}.${string}` ? NS : never;

/**
 * What the Electron preload puts on `window.consoleApi`: one named function per contract method
 * (`consoleApi.app.info(input)`), each answering an envelope, and one subscribe function per event
 * under `on` (`consoleApi.on['app.dataSource'](listener)` returns an unsubscribe function).
 * No method namespace may be called `on`.
 */
export type PreloadBridge = {
  [NS in Namespace<MethodName>]: {
    [K in MethodName as K extends `${NS}.${infer F}` ? F : never]: (
      input: unknown,
    ) => Promise<Envelope<unknown>>;
  };
} & {
  on: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void };
};

/** The browser host's routes, derived from the same names. */
export const HOST_INVOKE_PATH = '/api/invoke/';
export const HOST_EVENTS_PATH = '/api/events';
export const HOST_SESSION_COOKIE = 'console_session';
