import {
  LogLevel,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type DeviceCodeRequest,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { request as httpRequest } from 'node:http';
import { ConsoleError, type AuthStatus, type SignInFlow } from '../../../shared/contract/index.ts';
import type { Operator } from '../ipc/dispatcher.ts';
import { permissionsOf, type AccessScope } from './access-policy.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Logger } from '../log/logger.ts';
import type { IdentityResolution, ResolvedIdentity } from './identity-config.ts';
import { SIGN_IN_ERROR_PAGE, SIGN_IN_SUCCESS_PAGE } from './loopback-pages.ts';
import { consoleRole, rolesFromToken } from './roles.ts';
import {
  createSealedCachePlugin,
  TOKEN_CACHE_IDENTITY_SECRET,
  TOKEN_CACHE_SECRET,
} from './sealed-cache-plugin.ts';
import type { SecretVault } from './secret-vault.ts';
import { describeSignInError, type SignInProblem } from './sign-in-errors.ts';
import { resolveTenantId } from './tenant-id.ts';
import { createTrustedNetworkClient } from './trusted-network-client.ts';

/** A fixed loopback port, so the browser and firewalls see the same redirect each time (MSAL falls back to a free one). */
export const PREFERRED_LOOPBACK_PORT = 47815;
const INTERACTIVE_TIMEOUT_MS = 5 * 60_000;
const SKEW_WARNING_SECONDS = 5 * 60;
const REFRESH_MARGIN_MS = 5 * 60_000;
const RETRY_REFRESH_MS = 60_000;

export interface AuthServiceOptions {
  vault: SecretVault;
  logger: Logger;
  events: EventBus;
  /** Which identity provider to use now (settings, or the demo's provider). */
  resolveIdentity: () => Promise<IdentityResolution>;
  /** Opens the sign-in page in the system browser; null where the page must open it (browser host: `auth.openUrl`). */
  openBrowser: ((url: string) => Promise<void>) | null;
  preferredPort?: number;
  /** How long a browser or device-code sign-in may take before it is abandoned. */
  signInTimeoutMs?: number;
  /** Test seam: wraps the network client MSAL uses (e.g. to record what went over the wire). */
  wrapNetworkClient?: (client: INetworkModule) => INetworkModule;
  now?: () => Date;
  /** Demo or real platform: signed out, the demo allows more (`auth.status` lists what is allowed now). */
  scope?: () => AccessScope;
}

interface ActiveFlow {
  flow: SignInFlow;
  generation: number;
  /** Ends the flow with this problem (cancel, timeout); resolves once MSAL has let go where it can tell. */
  abort(problem: SignInProblem): void;
}

interface Session {
  account: AccountInfo;
  appRoles: string[];
}

type ClientEntry = {
  identity: ResolvedIdentity;
  app: PublicClientApplication;
  /** The client's network (sign-in's own: pinned certificate for the demo, bounded replies). */
  network: INetworkModule;
  /** The tenant id a domain authority resolves to (tenant-id.ts); null until read (retried before each accept). */
  tenantId: string | null;
};

/**
 * Operator sign-in with MSAL Node: silent first, then auth code + PKCE in the system browser
 * (loopback redirect) or the device code flow. Owns who the operator is (`operator()`, which the
 * dispatcher checks permissions against) and never lets a token out: `status()` carries names,
 * roles and permissions only.
 */
export class AuthService {
  readonly #options: AuthServiceOptions;
  readonly #logger: Logger;
  readonly #now: () => Date;
  #client: ClientEntry | null = null;
  #state: AuthStatus['state'] = 'signed-out';
  #session: Session | null = null;
  /** Kept after a session expires, so the next sign-in suggests the same account. */
  #lastAccount: { name: string; username: string; appRoles: string[] } | null = null;
  #pending: AuthStatus['pending'] = null;
  #identity: AuthStatus['identity'] = { kind: 'none', authorityHost: null, detail: null };
  #lastError: AuthStatus['lastError'] = null;
  #warning: string | null = null;
  #flow: ActiveFlow | null = null;
  #generation = 0;
  #refreshTimer: NodeJS.Timeout | null = null;
  #disposed = false;
  /** The provider's last OAuth error during the current flow: MSAL sometimes reports it vaguely. */
  #wireError: { errorCode: string; errorMessage: string } | null = null;

  constructor(options: AuthServiceOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  status(): AuthStatus {
    const role = this.operator().role;
    const cache = this.#options.vault.status();
    const account = this.#session
      ? {
          name: this.#session.account.name ?? this.#session.account.username,
          username: this.#session.account.username,
          appRoles: this.#session.appRoles,
        }
      : this.#lastAccount;
    return {
      state: this.#state,
      account,
      role,
      permissions: permissionsOf(role, this.#options.scope?.() ?? 'platform'),
      pending: this.#pending,
      identity: { ...this.#identity },
      tokenCache: {
        persisted: cache.persisted,
        explanation: cache.persisted
          ? null
          : `The sign-in is remembered for this session only. ${cache.explanation ?? ''}`.trim(),
      },
      warning: this.#warning,
      lastError: this.#lastError,
    };
  }

  operator(): Operator {
    if (this.#state !== 'signed-in' || this.#session === null) return { id: 'signed-out', role: 'viewer' };
    return {
      id: this.#session.account.localAccountId || this.#session.account.homeAccountId,
      role: consoleRole(this.#session.appRoles),
    };
  }

  /** At start: a remembered account is signed in silently (refresh token from the sealed cache). */
  async restore(): Promise<void> {
    const client = await this.#clientOrNull();
    const [account] = client === null ? [] : await client.app.getTokenCache().getAllAccounts();
    if (client === null || !account) {
      // Still tell the UI which identity provider a sign-in would use.
      this.#emit();
      return;
    }
    await this.#silent(client, account, false);
  }

  signIn(flow: SignInFlow, loginHint?: string): AuthStatus {
    if (this.#flow !== null) {
      throw new ConsoleError('conflict', 'A sign-in is already in progress. Finish it or cancel it first.');
    }
    const generation = ++this.#generation;
    this.#state = 'signing-in';
    this.#pending = { flow, authorizeUrl: null, deviceCode: null };
    this.#lastError = null;
    this.#wireError = null;
    const hint = loginHint ?? this.#lastAccount?.username;
    let abort: (problem: SignInProblem) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      abort = (problem) => reject(Object.assign(new Error(problem.message), { problem }));
    });
    const active: ActiveFlow = { flow, generation, abort: (problem) => abort(problem) };
    this.#flow = active;
    const timer = setTimeout(
      () =>
        active.abort({
          code: 'timeout',
          message:
            'The sign-in was not finished in time (was the browser closed?). Try again when you are ready.',
          retryable: true,
        }),
      this.#options.signInTimeoutMs ?? INTERACTIVE_TIMEOUT_MS,
    );
    timer.unref();
    void this.#runFlow(active, aborted, hint)
      .finally(() => clearTimeout(timer))
      .catch((error: unknown) =>
        this.#logger.error('sign-in flow crashed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    this.#emit();
    return this.status();
  }

  /**
   * Cancelling is immediate: the flow is told to let go (MSAL's listener may take a moment to
   * close), and the status says at once that nothing is in progress. The flow's own unwinding is
   * then ignored (its generation is stale). `lastError` says `cancelled` so an API caller knows what
   * happened; the UI does not present it as a failure.
   */
  cancel(): AuthStatus {
    const active = this.#flow;
    if (active === null) return this.status();
    const problem: SignInProblem = { code: 'cancelled', message: 'Sign-in was cancelled.', retryable: true };
    active.abort(problem);
    this.#generation += 1;
    this.#flow = null;
    this.#pending = null;
    this.#state = this.#session ? 'signed-in' : this.#lastAccount ? 'expired' : 'signed-out';
    this.#lastError = problem;
    this.#emit();
    return this.status();
  }

  async signOut(): Promise<AuthStatus> {
    this.cancel();
    const client = this.#client;
    if (client) {
      const cache = client.app.getTokenCache();
      for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    }
    this.#options.vault.delete(TOKEN_CACHE_SECRET);
    this.#endSession('signed-out', null);
    this.#lastAccount = null;
    this.#logger.info('operator signed out');
    this.#emit();
    return this.status();
  }

  /**
   * The sign-in configuration changed (settings, or the demo stopped): tokens from the old one are
   * useless, so the operator is signed out and the next sign-in builds a new client.
   */
  async identityChanged(): Promise<void> {
    const before = this.#client?.identity.fingerprint ?? null;
    const resolution = await this.#options.resolveIdentity();
    const after = resolution.kind === 'none' ? null : resolution.fingerprint;
    if (before === after && before !== null) return;
    await this.signOut();
    this.#client = null;
    await this.#clientOrNull();
    this.#emit();
  }

  /** A delegated access token for the operator (Graph), refreshed silently; never leaves the main process. */
  async accessToken(scopes?: string[]): Promise<string> {
    const client = this.#client;
    const session = this.#session;
    if (client === null || session === null || this.#state !== 'signed-in') {
      throw new ConsoleError('unauthorized', 'Sign in to do this.');
    }
    const result = await this.#silent(client, session.account, false, scopes);
    if (result === null)
      throw new ConsoleError('unauthorized', this.#lastError?.message ?? 'Sign in again to continue.');
    return result.accessToken;
  }

  /** Refreshes the session now, bypassing cached access tokens (also what the refresh timer does). */
  async refreshNow(): Promise<AuthStatus> {
    const client = this.#client;
    const session = this.#session;
    if (client && session) await this.#silent(client, session.account, true);
    return this.status();
  }

  dispose(): void {
    this.#disposed = true;
    this.cancel();
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
  }

  async #runFlow(active: ActiveFlow, aborted: Promise<never>, hint: string | undefined): Promise<void> {
    let client: ClientEntry | null;
    try {
      client = await Promise.race([this.#clientOrNull(), aborted]);
      if (client === null) {
        throw Object.assign(new Error('not configured'), {
          problem: {
            code: 'not_configured',
            message: this.#identity.detail ?? 'Sign-in is not set up.',
            retryable: false,
          } satisfies SignInProblem,
        });
      }
      const result =
        active.flow === 'browser'
          ? await this.#browserFlow(client, active, aborted, hint)
          : await this.#deviceCodeFlow(client, active, aborted);
      if (active.generation !== this.#generation) return;
      await this.#resolveTenant(client);
      if (active.generation !== this.#generation) return;
      this.#flow = null;
      this.#pending = null;
      this.#accept(result);
      this.#logger.info('operator signed in', { flow: active.flow, role: this.operator().role });
    } catch (error) {
      if (active.generation !== this.#generation) return;
      const problem =
        (error as { problem?: SignInProblem }).problem ?? describeSignInError(error, this.#wireError);
      this.#logger.warn('sign-in failed', { flow: active.flow, code: problem.code, error: summarize(error) });
      this.#flow = null;
      this.#pending = null;
      this.#state = this.#session ? 'signed-in' : this.#lastAccount ? 'expired' : 'signed-out';
      this.#lastError = problem;
    }
    this.#emit();
  }

  async #browserFlow(
    client: ClientEntry,
    active: ActiveFlow,
    aborted: Promise<never>,
    hint: string | undefined,
  ): Promise<AuthenticationResult> {
    let redirect: { uri: string; state: string } | null = null;
    let cancelled = false;
    // MSAL's loopback listener has no cancel: answer it ourselves, as the browser would with an error.
    const release = () => {
      cancelled = true;
      if (redirect) void postCancellation(redirect, this.#logger);
    };
    const interactive = client.app.acquireTokenInteractive({
      scopes: client.identity.scopes,
      preferredPort: this.#options.preferredPort ?? PREFERRED_LOOPBACK_PORT,
      // MSAL drops login_hint with select_account; with a hint, `login` shows that account first.
      ...(hint ? { loginHint: hint, prompt: 'login' } : { prompt: 'select_account' }),
      successTemplate: SIGN_IN_SUCCESS_PAGE,
      errorTemplate: SIGN_IN_ERROR_PAGE,
      openBrowser: async (url) => {
        const parsed = new URL(url);
        redirect = {
          uri: parsed.searchParams.get('redirect_uri') ?? '',
          state: parsed.searchParams.get('state') ?? '',
        };
        if (cancelled) {
          release();
          return;
        }
        if (active.generation !== this.#generation) return;
        this.#pending = { flow: 'browser', authorizeUrl: url, deviceCode: null };
        this.#emit();
        if (this.#options.openBrowser) await this.#options.openBrowser(url);
        else this.#options.events.emit('auth.openUrl', { url });
      },
    });
    try {
      return await Promise.race([interactive, aborted]);
    } catch (error) {
      release();
      // Let MSAL close its listener before the next attempt reuses the port (bounded: never hang here).
      await Promise.race([
        interactive.catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
      throw error;
    }
  }

  async #deviceCodeFlow(
    client: ClientEntry,
    active: ActiveFlow,
    aborted: Promise<never>,
  ): Promise<AuthenticationResult> {
    const request: DeviceCodeRequest = {
      scopes: client.identity.scopes,
      deviceCodeCallback: (response) => {
        if (active.generation !== this.#generation) return;
        const prompt = {
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          expiresAt: new Date(this.#now().getTime() + response.expiresIn * 1000).toISOString(),
          message: response.message,
        };
        this.#pending = { flow: 'deviceCode', authorizeUrl: null, deviceCode: prompt };
        this.#options.events.emit('auth.deviceCode', prompt);
        this.#emit();
      },
    };
    const polling = client.app.acquireTokenByDeviceCode(request);
    try {
      const result = await Promise.race([polling, aborted]);
      if (result === null) throw Object.assign(new Error('no result'), { errorCode: 'device_code_expired' });
      return result;
    } catch (error) {
      // MSAL checks this flag before each poll and then stops.
      request.cancel = true;
      throw error;
    }
  }

  async #silent(
    client: ClientEntry,
    account: AccountInfo,
    forceRefresh: boolean,
    scopes?: string[],
  ): Promise<AuthenticationResult | null> {
    try {
      const result = await client.app.acquireTokenSilent({
        account,
        scopes: scopes ?? client.identity.scopes,
        forceRefresh,
      });
      await this.#resolveTenant(client);
      if (this.#flow === null) {
        this.#accept(result);
        this.#emit();
      }
      return result;
    } catch (error) {
      const problem = describeSignInError(error);
      this.#logger.warn('silent sign-in failed', { code: problem.code, error: summarize(error) });
      if (problem.code === 'network') {
        // Keep the session; the identity provider may be back in a minute.
        this.#warning =
          'The sign-in could not be refreshed (the identity provider did not answer). The console will try again shortly.';
        this.#scheduleRefresh(RETRY_REFRESH_MS);
      } else {
        this.#endSession('expired', {
          ...problem,
          code: 'session_expired',
          message:
            'Your session has ended. Sign in again to continue where you were: nothing on screen is lost.',
          retryable: true,
        });
      }
      this.#emit();
      return null;
    }
  }

  #accept(result: AuthenticationResult): void {
    if (!result.account)
      throw new ConsoleError('bad_reply', 'The identity provider answered without an account.');
    const claims =
      (result.idTokenClaims as Record<string, unknown> | undefined) ?? result.account.idTokenClaims;
    const identity = this.#client?.identity;
    // Roles count only from a token of the configured tenant and application.
    const { appRoles, refused } =
      identity === undefined
        ? { appRoles: [], refused: 'Your roles were not accepted: sign-in is not configured.' }
        : rolesFromToken(claims, {
            authority: identity.authority,
            clientId: identity.clientId,
            tenantId: this.#client?.tenantId ?? null,
          });
    if (refused !== null) this.#logger.warn('app roles refused', { reason: refused });
    // AccountInfo can carry the raw id token: keep only what the console needs.
    this.#session = { account: { ...result.account, idToken: undefined }, appRoles };
    this.#lastAccount = {
      name: result.account.name ?? result.account.username,
      username: result.account.username,
      appRoles,
    };
    this.#state = 'signed-in';
    this.#lastError = null;
    this.#warning = refused ?? clockSkewWarning(claims, this.#now());
    const expiresOn = result.expiresOn?.getTime() ?? this.#now().getTime() + 3600_000;
    this.#scheduleRefresh(Math.max(30_000, expiresOn - this.#now().getTime() - REFRESH_MARGIN_MS));
  }

  #endSession(state: 'signed-out' | 'expired', problem: SignInProblem | null): void {
    this.#session = null;
    this.#state = state;
    this.#lastError = problem;
    this.#warning = null;
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
  }

  #scheduleRefresh(delayMs: number): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    if (this.#disposed) return;
    this.#refreshTimer = setTimeout(() => void this.refreshNow(), Math.min(delayMs, 2 ** 31 - 1));
    this.#refreshTimer.unref();
  }

  async #clientOrNull(): Promise<ClientEntry | null> {
    const resolution = await this.#options.resolveIdentity();
    if (resolution.kind === 'none') {
      this.#identity = { kind: 'none', authorityHost: null, detail: resolution.detail };
      this.#client = null;
      return null;
    }
    this.#identity = {
      kind: resolution.kind,
      authorityHost: new URL(resolution.authority).host,
      detail: null,
    };
    if (this.#client?.identity.fingerprint === resolution.fingerprint) return this.#client;
    const vault = this.#options.vault;
    if (vault.get(TOKEN_CACHE_IDENTITY_SECRET) !== resolution.fingerprint) {
      // Tokens of another tenant, app or demo run are useless here: drop them.
      vault.delete(TOKEN_CACHE_SECRET);
      vault.set(TOKEN_CACHE_IDENTITY_SECRET, resolution.fingerprint);
    }
    const network = this.#networkClient(resolution);
    this.#client = {
      identity: resolution,
      app: new PublicClientApplication(this.#msalConfig(resolution, network)),
      network,
      tenantId: null,
    };
    return this.#client;
  }

  #networkClient(identity: ResolvedIdentity): INetworkModule {
    // Our own HTTPS client for Entra too (system roots, verification on): bounded timeouts and
    // body sizes, and the identity provider's error answers can be read for a precise message.
    const networkClient: INetworkModule = this.#observeErrors(
      createTrustedNetworkClient({ caPem: identity.caPem, timeoutMs: 15_000 }),
    );
    return this.#options.wrapNetworkClient ? this.#options.wrapNetworkClient(networkClient) : networkClient;
  }

  /**
   * Before roles are taken from a token: the tenant id a domain authority stands for, from its
   * OpenID metadata (a GUID authority is its own). Unresolved, `rolesFromToken` grants no roles.
   */
  async #resolveTenant(client: ClientEntry): Promise<void> {
    if (client.tenantId !== null) return;
    client.tenantId = await resolveTenantId(client.identity.authority, client.network);
    if (client.tenantId === null)
      this.#logger.warn('sign-in tenant could not be resolved to a tenant id', {
        authorityHost: new URL(client.identity.authority).host,
      });
  }

  #msalConfig(identity: ResolvedIdentity, networkClient: INetworkModule): Configuration {
    const logger = this.#logger.child({ component: 'msal' });
    return {
      auth: {
        clientId: identity.clientId,
        authority: identity.authority,
        ...(identity.knownAuthorities.length > 0 ? { knownAuthorities: identity.knownAuthorities } : {}),
        ...(identity.authorityMetadata ? { authorityMetadata: identity.authorityMetadata } : {}),
        ...(identity.cloudDiscoveryMetadata
          ? { cloudDiscoveryMetadata: identity.cloudDiscoveryMetadata }
          : {}),
      },
      cache: { cachePlugin: createSealedCachePlugin(this.#options.vault) },
      system: {
        networkClient,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => {
            if (level <= LogLevel.Warning) logger.warn('msal', { detail: message.slice(0, 500) });
          },
        },
      },
    };
  }

  /** Keeps the last OAuth error the provider answered (`error` and AADSTS code only, never a body). */
  #observeErrors(client: INetworkModule): INetworkModule {
    const observe = <T>(response: NetworkResponse<T>): NetworkResponse<T> => {
      const body = response.body as { error?: unknown; error_codes?: unknown } | undefined;
      if (response.status >= 400 && typeof body?.error === 'string') {
        const codes = Array.isArray(body.error_codes)
          ? body.error_codes.filter((c): c is number => typeof c === 'number')
          : [];
        this.#wireError = {
          errorCode: body.error.slice(0, 64),
          errorMessage: codes.length > 0 ? `AADSTS${codes[0]}` : '',
        };
      }
      return response;
    };
    return {
      sendGetRequestAsync: async <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
        observe(await client.sendGetRequestAsync<T>(url, options, timeout)),
      sendPostRequestAsync: async <T>(url: string, options?: NetworkRequestOptions) =>
        observe(await client.sendPostRequestAsync<T>(url, options)),
    };
  }

  #emit(): void {
    this.#options.events.emit('auth.changed', this.status());
  }
}

/** Only the error's name and code: MSAL messages can quote server responses. */
function summarize(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { value: String(error).slice(0, 100) };
  const e = error as { name?: unknown; errorCode?: unknown; code?: unknown };
  return { name: e.name, code: e.errorCode ?? e.code };
}

function clockSkewWarning(claims: Record<string, unknown> | undefined, now: Date): string | null {
  const issuedAt = claims?.iat;
  if (typeof issuedAt !== 'number') return null;
  const skew = Math.round(issuedAt - now.getTime() / 1000);
  if (Math.abs(skew) < SKEW_WARNING_SECONDS) return null;
  const minutes = Math.round(Math.abs(skew) / 60);
  return `This computer's clock is about ${minutes} minutes ${skew > 0 ? 'behind' : 'ahead of'} the identity provider's. Sign-in still works, but set the clock to update automatically to avoid failures elsewhere.`;
}

/** Delivers an error answer to MSAL's own loopback listener, which ends its wait. */
function postCancellation(redirect: { uri: string; state: string }, logger: Logger): Promise<void> {
  let port: number;
  try {
    port = Number(new URL(redirect.uri).port);
  } catch {
    return Promise.resolve();
  }
  if (!port || !redirect.state) return Promise.resolve();
  const body = new URLSearchParams({
    error: 'user_cancelled',
    error_description: 'Cancelled in the console.',
    state: redirect.state,
  }).toString();
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'POST',
        timeout: 5000,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', (error) => {
      logger.debug('loopback listener already gone', { error: error.message });
      resolve();
    });
    req.end(body);
  });
}
