import type { INetworkModule } from '@azure/msal-node';
import { createServer } from 'node:net';
import type { AuthStatus, EventName } from '../../shared/contract/index.ts';
import { createConsoleCore, type ConsoleCore, type CoreCapabilities } from '../../electron/core/compose.ts';
import type { DemoSandboxHandle } from '../../electron/core/data-source/data-source-service.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import {
  createMemoryStore,
  type KeyValueStore,
} from '../../electron/core/preferences/preferences-service.ts';
import { demoIdentity } from '../../electron/sandbox/demo.ts';
import { form, rawRequest, readForm } from '../../electron/sandbox/identity/test-support.ts';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index.ts';

/**
 * Sign-in tests run the console core against the sandbox's identity provider over real HTTPS,
 * and drive its pages with plain HTTP requests, as the system browser would.
 */

export async function startAuthSandbox(): Promise<Sandbox> {
  return startSandbox({ port: 0, users: 500, seed: 'auth-tests' });
}

/** A demo handle for the core that does not own the sandbox, so a core can "restart" against it. */
export function demoHandle(sandbox: Sandbox): DemoSandboxHandle {
  return {
    platformUrl: sandbox.platformUrl,
    apiKey: sandbox.apiKey,
    graphUrl: sandbox.graphUrl,
    authorityUrl: sandbox.authorityUrl,
    identity: demoIdentity(sandbox.authorityUrl, sandbox.caCertPem),
    users: 500,
    close: async () => undefined,
  };
}

/** Everything MSAL received from the identity provider: the tokens a leak scan looks for. */
export interface WireRecorder {
  secrets: Set<string>;
  tokenRequests: string[];
  /** While true, every request fails as if the network were down. */
  offline: boolean;
  wrap(client: INetworkModule): INetworkModule;
}

export function createWireRecorder(): WireRecorder {
  const recorder: WireRecorder = {
    secrets: new Set(),
    tokenRequests: [],
    offline: false,
    wrap: (client) => ({
      sendGetRequestAsync: (url, options, timeout) => {
        if (recorder.offline)
          return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        return client.sendGetRequestAsync(url, options, timeout);
      },
      sendPostRequestAsync: async <T>(
        url: string,
        options?: Parameters<INetworkModule['sendPostRequestAsync']>[1],
      ) => {
        if (recorder.offline)
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        const grant = new URLSearchParams(options?.body ?? '').get('grant_type');
        if (grant) recorder.tokenRequests.push(grant);
        const response = await client.sendPostRequestAsync<T>(url, options);
        const body = response.body as Record<string, unknown>;
        for (const key of ['access_token', 'refresh_token', 'id_token', 'device_code']) {
          const value = body[key];
          if (typeof value === 'string') recorder.secrets.add(value);
        }
        return response;
      },
    }),
  };
  return recorder;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface TestCore {
  core: ConsoleCore;
  logger: ReturnType<typeof createMemoryLogger>;
  events: { name: EventName; payload: unknown }[];
  /** Calls a method as the operator the core currently has signed in (the dispatcher checks the role). */
  call(method: string, input?: unknown): ReturnType<ConsoleCore['dispatch']>;
  status(): Promise<AuthStatus>;
}

export async function makeCore(
  sandbox: Sandbox,
  options: {
    store?: KeyValueStore;
    recorder?: WireRecorder;
    capabilities?: Partial<CoreCapabilities>;
    preferredPort?: number;
    signInTimeoutMs?: number;
  } = {},
): Promise<TestCore> {
  const logger = createMemoryLogger();
  const recorder = options.recorder;
  const core = await createConsoleCore({
    host: 'browser',
    productName: 'Test console',
    version: '0.0.0',
    logger,
    store: options.store ?? createMemoryStore(),
    openExternal: null,
    startDemo: async () => demoHandle(sandbox),
    auth: {
      preferredPort: options.preferredPort ?? (await freePort()),
      signInTimeoutMs: options.signInTimeoutMs ?? 20_000,
      ...(recorder ? { wrapNetworkClient: (client: INetworkModule) => recorder.wrap(client) } : {}),
    },
    ...options.capabilities,
  });
  const events: TestCore['events'] = [];
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  const call = (method: string, input: unknown = {}) => {
    const context: CallContext = { transport: 'test', operator: core.operator() };
    return core.dispatch(method, input, context);
  };
  const status = async () => {
    const reply = await call('auth.status');
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as AuthStatus;
  };
  return { core, logger, events, call, status };
}

/** Resolves with the first auth status that matches: the current one, or a later auth.changed. */
export function waitForAuth(
  test: TestCore,
  predicate: (status: AuthStatus) => boolean,
  timeoutMs = 15_000,
): Promise<AuthStatus> {
  return new Promise((resolve, reject) => {
    let last: unknown = null;
    let done = false;
    const finish = (status: AuthStatus) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(status);
    };
    // Subscribe before asking, so a change between the two is not missed.
    const unsubscribe = test.core.events.subscribe((name, payload) => {
      if (name !== 'auth.changed') return;
      last = payload;
      if (predicate(payload as AuthStatus)) finish(payload as AuthStatus);
    });
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`auth state not reached in ${timeoutMs} ms; last: ${JSON.stringify(last)}`));
    }, timeoutMs);
    void test.status().then((now) => {
      last ??= now;
      if (predicate(now)) finish(now);
    }, reject);
  });
}

export function nextEvent<T>(test: TestCore, event: EventName, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = test.core.events.subscribe((name, payload) => {
      if (name !== event) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(payload as T);
    });
  });
}

/**
 * What a person does in the system browser: load the sign-in page, pick a demo account (or
 * Deny), and let the page's form_post deliver the answer to the console's loopback listener.
 * Returns the loopback's page, which tells the person to go back to the console.
 */
export async function completeBrowserSignIn(
  sandbox: Sandbox,
  url: string,
  choice: 'director' | 'support' | 'deny',
): Promise<string> {
  const origin = new URL(sandbox.authorityUrl).origin;
  const page = await rawRequest(url, { ca: sandbox.caCertPem });
  const signIn = readForm(page.text);
  const handoff = await rawRequest(new URL(signIn.action, origin).toString(), {
    method: 'POST',
    ca: sandbox.caCertPem,
    ...form({ ...signIn.fields, choice }),
  });
  const toApp = readForm(handoff.text);
  const landing = await rawRequest(toApp.action, { method: 'POST', ...form(toApp.fields) });
  return landing.text;
}

/** Signs in through the browser flow as the browser host does (the page gets auth.openUrl). */
export async function signInWithBrowser(
  sandbox: Sandbox,
  test: TestCore,
  choice: 'director' | 'support',
): Promise<AuthStatus> {
  const opened = nextEvent<{ url: string }>(test, 'auth.openUrl');
  const started = await test.call('auth.signIn', { flow: 'browser' });
  if (!started.ok) throw new Error(started.error.message);
  await completeBrowserSignIn(sandbox, (await opened).url, choice);
  return waitForAuth(test, (s) => s.state === 'signed-in');
}

export async function advanceSandboxClock(sandbox: Sandbox, minutes: number): Promise<void> {
  const reply = await fetch(`${sandbox.adminUrl}/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMinutes: minutes }),
  });
  if (!reply.ok) throw new Error(`clock: ${reply.status}`);
}
