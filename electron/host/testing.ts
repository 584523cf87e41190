import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../core/log/logger.ts';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from './server.ts';

/** Test support for the browser host: a fake built renderer, a started host, and raw HTTP (fetch cannot set Host). */

export const OUTSIDE_SECRET = 'outside-the-renderer-SENTINEL-4711';

export async function makeFakeRenderer(): Promise<{
  base: string;
  rendererDir: string;
  dataDir: string;
  cleanup(): Promise<void>;
}> {
  const base = await mkdtemp(join(tmpdir(), 'browser-host-'));
  const rendererDir = join(base, 'renderer');
  const dataDir = join(base, 'data');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app");\n');
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body { margin: 0 }\n');
  await writeFile(join(rendererDir, '.env'), OUTSIDE_SECRET);
  // A file beside the renderer folder that traversal attempts aim at.
  await writeFile(join(base, 'secret.txt'), OUTSIDE_SECRET);
  return { base, rendererDir, dataDir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | Buffer;
}

export function rawRequest(port: number, options: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {}))
      if (value !== undefined) headers[name] = value;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface TestHost {
  host: BrowserHost;
  logger: ReturnType<typeof createMemoryLogger>;
  rendererDir: string;
  dataDir: string;
  /** `Cookie` header value of the session opened with the one-time token. */
  cookie: string;
  /** Host, Origin and Cookie headers of the console's own page. */
  pageHeaders(): Record<string, string>;
  call(method: string, input: unknown, headers?: Record<string, string | undefined>): Promise<RawResponse>;
  stop(): Promise<void>;
}

export async function startTestHost(
  options: Pick<BrowserHostOptions, 'heartbeatMs' | 'heavyCalls'> = {},
): Promise<TestHost> {
  const fake = await makeFakeRenderer();
  const logger = createMemoryLogger();
  const host = await startBrowserHost({
    port: 0,
    rendererDir: fake.rendererDir,
    dataDir: fake.dataDir,
    logger,
    ...options,
  });
  const url = new URL(host.url);
  const exchange = await rawRequest(host.port, {
    path: `${url.pathname}${url.search}`,
    headers: { Host: url.host },
  });
  const setCookie = exchange.headers['set-cookie']?.[0];
  if (exchange.status !== 303 || setCookie === undefined) {
    await host.close();
    throw new Error(`token exchange failed with ${exchange.status}`);
  }
  const cookie = setCookie.split(';')[0] ?? '';
  const pageHeaders = () => ({ Host: `127.0.0.1:${host.port}`, Origin: host.origin, Cookie: cookie });
  return {
    host,
    logger,
    rendererDir: fake.rendererDir,
    dataDir: fake.dataDir,
    cookie,
    pageHeaders,
    call: (method, input, headers = {}) =>
      rawRequest(host.port, {
        method: 'POST',
        path: `/api/invoke/${method}`,
        headers: { ...pageHeaders(), 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(input),
      }),
    stop: async () => {
      await host.close();
      await fake.cleanup();
    },
  };
}
