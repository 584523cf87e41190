import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** Where Graph tokens come from: a static token now (sandbox, app-only), MSAL later. */
export interface AccessTokenProvider {
  getAccessToken(signal?: AbortSignal): Promise<string>;
}

export class StaticTokenProvider implements AccessTokenProvider {
  private readonly token: string;
  constructor(token: string) {
    if (token.length === 0) throw new TypeError('An empty Graph token cannot authenticate anything.');
    this.token = token;
  }
  getAccessToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
}

/**
 * Adds the bearer token, but only to requests for the configured Graph origin (scheme, host and
 * port). The library's own AuthenticationHandler recognises https hosts only, which would drop
 * the token on a plain-HTTP sandbox; checking the exact origin is also the stricter rule: a
 * nextLink pointing anywhere else never receives the token.
 */
export class OriginAuthMiddleware implements Middleware {
  private next: Middleware | undefined;
  private readonly provider: AccessTokenProvider;
  private readonly origin: string;

  constructor(provider: AccessTokenProvider, graphBaseUrl: string) {
    this.provider = provider;
    this.origin = new URL(graphBaseUrl).origin;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    if (new URL(url).origin === this.origin) {
      headers.set(
        'Authorization',
        `Bearer ${await this.provider.getAccessToken(options.signal ?? undefined)}`,
      );
    } else {
      headers.delete('Authorization');
    }
    options.headers = Object.fromEntries(headers.entries());
    if (this.next === undefined) throw new Error('OriginAuthMiddleware needs a next middleware.');
    await this.next.execute(context);
  }
}
