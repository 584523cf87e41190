import type { DemoDirectory } from './directory.ts';
import type { GrantStore } from './grant-store.ts';
import type { TokenIssuer } from './token-issuer.ts';

/** What every endpoint of the identity provider shares. */
export interface ProviderContext {
  directory: DemoDirectory;
  store: GrantStore;
  issuer: TokenIssuer;
  now: () => Date;
  /** Monotonic milliseconds for polling pace (slow_down); independent of the simulated clock. */
  monotonicNow: () => number;
  /** https://localhost:<port> */
  origin: string;
  /** https://localhost:<port>/<tenantId> */
  authorityUrl: string;
  deviceCodeIntervalSeconds: number;
  refreshTokenLifetimeSeconds: number;
}
