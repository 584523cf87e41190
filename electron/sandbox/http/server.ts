import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problem } from './problem.ts';
import type { Handler, SandboxRequest, SandboxResponse } from './types.ts';

/** A path prefix served by one handler; the handler sees the path without the prefix. */
export interface Mount {
  prefix: string;
  handler: Handler;
}

const MAX_BODY = 4 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, out: SandboxResponse): void {
  if (out.abort) {
    res.socket?.destroy();
    return;
  }
  let payload: Buffer = EMPTY;
  if (out.body !== undefined)
    payload = Buffer.isBuffer(out.body)
      ? out.body
      : Buffer.from(typeof out.body === 'string' ? out.body : JSON.stringify(out.body), 'utf8');
  res.writeHead(out.status, { ...out.headers, 'content-length': String(payload.length) });
  res.end(payload);
}

export async function startHttpServer(options: {
  host: string;
  port: number;
  mounts: readonly Mount[];
}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const mounts = [...options.mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer((req, res) => {
    void (async () => {
      let out: SandboxResponse;
      try {
        const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
        const mount = mounts.find(
          (m) =>
            url.pathname === m.prefix ||
            url.pathname.startsWith(m.prefix.endsWith('/') ? m.prefix : `${m.prefix}/`),
        );
        const body = await readBody(req);
        if (!mount) out = problem(404, 'not_found', `No resource at ${url.pathname}.`);
        else if (body === null)
          out = problem(413, 'payload_too_large', 'The request body is larger than 4 MiB.');
        else {
          const sreq: SandboxRequest = {
            method: (req.method ?? 'GET').toUpperCase(),
            path: url.pathname.slice(mount.prefix.length) || '/',
            query: url.searchParams,
            headers: req.headers,
            body,
            params: {},
            remoteAddress: req.socket.remoteAddress ?? '',
          };
          out = await mount.handler(sreq);
        }
      } catch (error) {
        console.error('sandbox: unhandled error', error);
        out = problem(500, 'internal', 'The sandbox failed unexpectedly.');
      }
      if (out.delayMs && out.delayMs > 0) await new Promise((r) => setTimeout(r, out.delayMs));
      if (!res.destroyed) send(res, out);
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${options.host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
