import type { AuthStatus, DataSource, Settings } from '../../../shared/contract/index.ts';

export interface DiagnosticsInput {
  productName: string;
  version: string;
  host: 'electron' | 'browser' | 'cli';
  dataSource: DataSource;
  settings: Settings;
  auth: AuthStatus;
  now: Date;
}

/**
 * What a support person needs to understand a console's state, and nothing personal: no account
 * names, no user data, no secrets (the key's presence only, not its last characters), no tokens.
 * Built from an allowlist of fields, so a field added elsewhere never leaks into it by default.
 */
export function buildDiagnostics(input: DiagnosticsInput): { filename: string; json: string } {
  const { settings, auth, dataSource } = input;
  const report = {
    format: 1,
    createdAt: input.now.toISOString(),
    product: { name: input.productName, version: input.version, host: input.host },
    runtime: { node: process.versions.node, platform: process.platform, arch: process.arch },
    dataSource: {
      kind: dataSource.kind,
      state: dataSource.state,
      lastRefreshedAt: dataSource.lastRefreshedAt,
      detail: dataSource.detail,
    },
    settings: {
      platformHost: settings.platform.url === null ? null : new URL(settings.platform.url).host,
      platformKeyConfigured: settings.platform.key.configured,
      signIn: {
        authorityHost: settings.signIn.authority === null ? null : authorityHost(settings.signIn.authority),
        clientIdConfigured: settings.signIn.clientId !== null,
        scopes: settings.signIn.scopes,
      },
      refreshIntervalMinutes: settings.refreshIntervalMinutes,
      helpArticleOverridden: settings.helpArticleUrl !== null,
      secretsPersisted: settings.secrets.persisted,
      secretsExplanation: settings.secrets.explanation,
    },
    auth: {
      state: auth.state,
      role: auth.role,
      identity: auth.identity,
      tokenCachePersisted: auth.tokenCache.persisted,
      lastErrorCode: auth.lastError?.code ?? null,
      warning: auth.warning,
    },
  };
  const stamp = input.now.toISOString().replace(/[:.]/g, '-');
  return {
    filename: `calendar-sync-console-diagnostics-${stamp}.json`,
    json: `${JSON.stringify(report, null, 2)}\n`,
  };
}

function authorityHost(authority: string): string {
  try {
    return new URL(authority).host;
  } catch {
    return 'login.microsoftonline.com';
  }
}
