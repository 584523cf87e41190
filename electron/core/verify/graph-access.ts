import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import { z } from 'zod';
import {
  ConsoleError,
  type VerificationAccessChange,
  type VerificationAccessState,
} from '../../../shared/contract/index.ts';
import { authorityUrl, type DemoIdentity } from '../auth/identity-config.ts';
import type { SecretVault } from '../auth/secret-vault.ts';
import { createTrustedNetworkClient } from '../auth/trusted-network-client.ts';
import type { AccessTokenProvider } from '../graph/auth.ts';
import type { Logger } from '../log/logger.ts';
import type { KeyValueStore } from '../preferences/preferences-service.ts';

export const VERIFY_ACCESS_STORE_KEY = 'verificationAccess';
export const VERIFY_SECRET = 'verification.clientSecret';
export const VERIFY_CERT_KEY = 'verification.certificateKey';
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';

const Stored = z.object({
  authority: z.string().min(1).max(500),
  clientId: z.string().min(1).max(100),
  credential: z.enum(['secret', 'certificate']),
  thumbprint: z.string().max(64).nullable(),
});
type Stored = z.infer<typeof Stored>;

/** The demo sandbox's Graph and its confidential verifier app (client credentials). */
export interface DemoGraph {
  graphUrl: string;
  identity: DemoIdentity;
  verifier: { clientId: string; clientSecret: string };
}

/** Where verification gets Graph tokens from, resolved: nothing secret leaves this module except to MSAL. */
export type GraphAccess =
  | { kind: 'configured' | 'demo'; graphUrl: string; tokens: AccessTokenProvider; fingerprint: string }
  | { kind: 'none'; reason: string };

/** App-only tokens from MSAL Node's ConfidentialClientApplication (client credentials; MSAL caches them). */
export class ClientCredentialTokens implements AccessTokenProvider {
  readonly #app: ConfidentialClientApplication;

  constructor(config: Configuration) {
    this.#app = new ConfidentialClientApplication(config);
  }

  async getAccessToken(): Promise<string> {
    try {
      const result = await this.#app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
      if (!result?.accessToken) throw new Error('no token in the reply');
      return result.accessToken;
    } catch (error) {
      const code = (error as { errorCode?: unknown }).errorCode;
      throw new ConsoleError(
        'unauthorized',
        `The verification app could not get a Graph token${typeof code === 'string' ? ` (${code})` : ''}: check the tenant, client id and secret or certificate in Settings → Verification, and that the app has the Calendars.Read application permission with admin consent.`,
      );
    }
  }
}

export function msalConfig(
  authority: string,
  clientId: string,
  credential: Pick<NonNullable<Configuration['auth']>, 'clientSecret' | 'clientCertificate'>,
  demo: DemoIdentity | null,
  logger: Logger,
): Configuration {
  const sameAsDemo = demo !== null && new URL(authority).origin === new URL(demo.authority).origin;
  return {
    auth: {
      clientId,
      authority,
      ...credential,
      ...(sameAsDemo
        ? {
            knownAuthorities: demo.knownAuthorities,
            ...(authority === demo.authority ? { authorityMetadata: demo.authorityMetadata } : {}),
            cloudDiscoveryMetadata: demo.cloudDiscoveryMetadata,
          }
        : {}),
    },
    system: {
      ...(sameAsDemo
        ? { networkClient: createTrustedNetworkClient({ caPem: demo.caPem, timeoutMs: 15_000 }) }
        : {}),
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message) => {
          if (level <= LogLevel.Warning)
            logger.warn('msal (verification)', { detail: message.slice(0, 300) });
        },
      },
    },
  };
}

/** What verification needs from its Graph access: resolve it, describe it, change it. */
export type AccessSource = Pick<VerificationAccess, 'resolve' | 'state' | 'set'>;

/** Client-credential access for an authority, client id and secret (the CLI's --graph-tenant route). */
export function clientSecretAccess(
  input: { tenant: string; clientId: string; clientSecret: string; graphUrl?: string },
  demo: DemoIdentity | null,
  logger: Logger,
): GraphAccess {
  const authority = authorityUrl(input.tenant);
  return {
    kind: 'configured',
    graphUrl: input.graphUrl ?? GRAPH_URL,
    fingerprint: JSON.stringify(['cli', authority, input.clientId]),
    tokens: new ClientCredentialTokens(
      msalConfig(authority, input.clientId, { clientSecret: input.clientSecret }, demo, logger),
    ),
  };
}

/**
 * Settings → Verification: the university's app registration with the Calendars.Read application
 * permission (tenant, client id, and a client secret or a certificate, sealed in the vault like
 * the platform key). Without one, the demo sandbox's verifier app is used while the demo runs;
 * otherwise verification is platform-only and says so.
 */
export class VerificationAccess {
  readonly #store: KeyValueStore;
  readonly #vault: SecretVault;
  readonly #logger: Logger;
  readonly #demo: () => DemoGraph | null;
  #cached: { fingerprint: string; access: GraphAccess } | null = null;

  constructor(options: {
    store: KeyValueStore;
    vault: SecretVault;
    logger: Logger;
    demo: () => DemoGraph | null;
  }) {
    this.#store = options.store;
    this.#vault = options.vault;
    this.#logger = options.logger;
    this.#demo = options.demo;
  }

  #stored(): Stored | null {
    const parsed = Stored.safeParse(this.#store.get(VERIFY_ACCESS_STORE_KEY));
    return parsed.success ? parsed.data : null;
  }

  state(): VerificationAccessState {
    const stored = this.#stored();
    if (stored !== null) {
      const secret = this.#vault.get(stored.credential === 'secret' ? VERIFY_SECRET : VERIFY_CERT_KEY);
      return {
        kind: 'configured',
        authority: stored.authority,
        clientId: stored.clientId,
        credential: stored.credential,
        secret: {
          configured: secret !== null,
          endsWith: secret === null || stored.credential === 'certificate' ? null : secret.slice(-4),
        },
        certificateThumbprint: stored.thumbprint,
        detail:
          secret === null
            ? 'The secret or certificate key is not available on this computer (it was kept in memory only, or sealed with another key): enter it again.'
            : 'Verification reads calendars with this app (application permission Calendars.Read).',
      };
    }
    const demo = this.#demo();
    return {
      kind: demo ? 'demo' : 'none',
      authority: demo?.identity.authority ?? null,
      clientId: demo?.verifier.clientId ?? null,
      credential: demo ? 'secret' : null,
      secret: { configured: demo !== null, endsWith: null },
      certificateThumbprint: null,
      detail: demo
        ? 'The demo sandbox’s verifier app reads the demo calendars.'
        : 'No verification app is set up: verification checks only what the platform reports. Add the app registration’s tenant, client id and secret or certificate here.',
    };
  }

  set(change: VerificationAccessChange): VerificationAccessState {
    this.#cached = null;
    if ('clear' in change) {
      this.#store.set(VERIFY_ACCESS_STORE_KEY, null);
      this.#vault.delete(VERIFY_SECRET);
      this.#vault.delete(VERIFY_CERT_KEY);
      this.#logger.info('verification app removed');
      return this.state();
    }
    const authority = authorityUrl(change.tenant);
    try {
      if (new URL(authority).protocol !== 'https:') throw new Error('not https');
    } catch {
      throw new ConsoleError(
        'bad_input',
        'The tenant must be a tenant id, a tenant domain or an https:// authority URL.',
      );
    }
    if ('clientSecret' in change) {
      this.#vault.set(VERIFY_SECRET, change.clientSecret, { replaceUnreadable: true });
      this.#vault.delete(VERIFY_CERT_KEY);
      this.#store.set(VERIFY_ACCESS_STORE_KEY, {
        authority,
        clientId: change.clientId,
        credential: 'secret',
        thumbprint: null,
      } satisfies Stored);
    } else {
      this.#vault.set(VERIFY_CERT_KEY, change.certificatePrivateKey, { replaceUnreadable: true });
      this.#vault.delete(VERIFY_SECRET);
      this.#store.set(VERIFY_ACCESS_STORE_KEY, {
        authority,
        clientId: change.clientId,
        credential: 'certificate',
        thumbprint: change.certificateThumbprint.toLowerCase(),
      } satisfies Stored);
    }
    this.#logger.info('verification app saved', { host: new URL(authority).host });
    return this.state();
  }

  /** The Graph access to verify with now (one MSAL client per configuration, so its token cache is reused). */
  resolve(): GraphAccess {
    const stored = this.#stored();
    const demo = this.#demo();
    let fingerprint: string;
    let build: () => GraphAccess;
    if (stored !== null) {
      const secret = this.#vault.get(stored.credential === 'secret' ? VERIFY_SECRET : VERIFY_CERT_KEY);
      if (secret === null)
        return {
          kind: 'none',
          reason:
            'the verification app’s secret or certificate key is not available: enter it again in Settings → Verification',
        };
      const graphUrl =
        demo !== null && new URL(stored.authority).origin === new URL(demo.identity.authority).origin
          ? demo.graphUrl
          : GRAPH_URL;
      fingerprint = JSON.stringify(['configured', stored, secret.length, secret.slice(-8), graphUrl]);
      const credential =
        stored.credential === 'secret'
          ? { clientSecret: secret }
          : {
              clientCertificate:
                stored.thumbprint !== null && stored.thumbprint.length === 64
                  ? { thumbprintSha256: stored.thumbprint, privateKey: secret }
                  : { thumbprint: stored.thumbprint ?? '', privateKey: secret },
            };
      build = () => ({
        kind: 'configured',
        graphUrl,
        fingerprint,
        tokens: new ClientCredentialTokens(
          msalConfig(stored.authority, stored.clientId, credential, demo?.identity ?? null, this.#logger),
        ),
      });
    } else if (demo !== null) {
      fingerprint = JSON.stringify(['demo', demo.identity.authority, demo.verifier.clientId, demo.graphUrl]);
      build = () => ({
        kind: 'demo',
        graphUrl: demo.graphUrl,
        fingerprint,
        tokens: new ClientCredentialTokens(
          msalConfig(
            demo.identity.authority,
            demo.verifier.clientId,
            { clientSecret: demo.verifier.clientSecret },
            demo.identity,
            this.#logger,
          ),
        ),
      });
    } else {
      return { kind: 'none', reason: 'no Microsoft Graph access is set up (Settings → Verification)' };
    }
    if (this.#cached?.fingerprint !== fingerprint) this.#cached = { fingerprint, access: build() };
    return this.#cached.access;
  }
}
