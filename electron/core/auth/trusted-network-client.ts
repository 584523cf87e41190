import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request } from 'node:https';

/**
 * An MSAL network module that speaks HTTPS with a pinned set of trust anchors: the `ca` given here
 * REPLACES the system roots, so a client built for the sandbox trusts exactly the sandbox's
 * generated certificate and nothing else, and certificate verification stays on. The console uses
 * it for the demo identity provider; against Entra it is simply not installed.
 */

export interface TrustedNetworkClientOptions {
  /** PEM certificate(s) to trust; `null` trusts the system's roots (Entra ID), verification still on. */
  caPem: string | string[] | null;
  /** Default timeout for a request in milliseconds (MSAL passes its own for some GETs). */
  timeoutMs?: number;
  /** Upper bound on a response body; identity responses are a few kilobytes. */
  maxResponseBytes?: number;
}

export class TrustedNetworkError extends Error {
  override readonly name = 'TrustedNetworkError';
}

export function createTrustedNetworkClient(options: TrustedNetworkClientOptions): INetworkModule {
  const ca =
    options.caPem === null ? undefined : Array.isArray(options.caPem) ? options.caPem : [options.caPem];
  if (
    ca !== undefined &&
    (ca.length === 0 || ca.some((pem) => !pem.includes('-----BEGIN CERTIFICATE-----')))
  ) {
    throw new TrustedNetworkError('caPem must hold at least one PEM certificate');
  }
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;

  function send<T>(
    method: 'GET' | 'POST',
    url: string,
    opts: NetworkRequestOptions | undefined,
    timeout: number | undefined,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.protocol !== 'https:') {
      // Tokens and secrets travel in these requests: never over plain HTTP.
      return Promise.reject(new TrustedNetworkError(`refusing non-https URL ${target.origin}`));
    }
    const body = method === 'POST' ? (opts?.body ?? '') : undefined;
    const headers: Record<string, string | number> = { ...opts?.headers };
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method,
          headers,
          ...(ca === undefined ? {} : { ca }),
          rejectUnauthorized: true,
          timeout: timeout ?? defaultTimeout,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy(new TrustedNetworkError(`response larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: T;
            try {
              // MSAL expects a parsed JSON body; its own client fails the same way on non-JSON.
              parsed = JSON.parse(text) as T;
            } catch {
              reject(
                new TrustedNetworkError(
                  `response from ${target.origin} with status ${res.statusCode ?? 0} is not JSON`,
                ),
              );
              return;
            }
            const responseHeaders: Record<string, string> = {};
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined)
                responseHeaders[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ headers: responseHeaders, body: parsed, status: res.statusCode ?? 0 });
          });
        },
      );
      req.on('timeout', () => req.destroy(new TrustedNetworkError(`request to ${target.origin} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    sendGetRequestAsync: <T>(url: string, opts?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, opts, timeout),
    sendPostRequestAsync: <T>(url: string, opts?: NetworkRequestOptions) =>
      send<T>('POST', url, opts, undefined),
  };
}
