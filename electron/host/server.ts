import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HOST_EVENTS_PATH, HOST_INVOKE_PATH } from '../../shared/contract/bridge.ts';
import { isMethodName, MAX_PAYLOAD_BYTES, methods } from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../core/compose.ts';
import type { Logger } from '../core/log/logger.ts';
import { AccessControl } from './access.ts';
import type { PlatformConfig } from '../core/data-source/data-source-service.ts';
import { composeBrowserCore } from './compose-browser-core.ts';
import { EventSockets, refuseUpgrade } from './event-socket.ts';
import { HeavyCallGate, type HeavyCallGateOptions } from './heavy-calls.ts';
import { BrowserHostError } from './host-error.ts';
import { isJsonContentType, parseJsonBody, readBody } from './read-body.ts';
import { sendEnvelope, sendError, sendPage, sendRedirect, streamEnvelope } from './replies.ts';
import { StaticFiles } from './static-files.ts';

export interface BrowserHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (`out/renderer`); must contain index.html. */
  rendererDir: string;
  /** Where the composed core keeps its settings; unused when `core` is given. */
  dataDir: string;
  logger: Logger;
  /** A ready core (tests, or a caller that composes its own); the host then leaves disposing it to the caller. */
  core?: ConsoleCore;
  /** Start the embedded demo sandbox when no platform is configured (default true). */
  demo?: boolean;
  /** Size of the demo sandbox's roster (default DEMO_USERS). */
  demoUsers?: number;
  /** The platform for this run (`--platform-url`), instead of the one saved in Settings. */
  platform?: PlatformConfig;
  /** How often the events socket pings; a socket that missed one ping is dropped. */
  heartbeatMs?: number;
  /** How many heavy calls (exports) run at once and wait in line; see heavy-calls.ts. */
  heavyCalls?: HeavyCallGateOptions;
}

export interface BrowserHost {
  /** `http://127.0.0.1:<port>/?token=...`: opens one browser session, once. */
  url: string;
  origin: string;
  port: number;
  core: ConsoleCore;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const DEFAULT_HEARTBEAT_MS = 30_000;

const USE_PRINTED_URL =
  'Open the console with the URL that `npm run serve` printed. Each URL works once; restart the host for a new one.';

/**
 * The main-process core served to an ordinary browser: the built renderer as static files, every
 * contract method as `POST /api/invoke/<method>`, every core event on one WebSocket at /api/events.
 * Bound to 127.0.0.1 only; see access.ts for who gets in and docs/ARCHITECTURE.md "Browser host".
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw new BrowserHostError(
      'bad_option',
      `The port must be a whole number from 0 to 65535, not ${String(options.port)}.`,
    );
  }
  const logger = options.logger.child({ component: 'browser-host' });
  const files = new StaticFiles(options.rendererDir);
  if ((await files.indexFile()) === null) {
    throw new BrowserHostError(
      'renderer_missing',
      `There is no built renderer in ${options.rendererDir} (index.html is missing). Run \`npm run build\` first, or start \`npm run serve\` without --no-build.`,
    );
  }

  const ownsCore = options.core === undefined;
  const core =
    options.core ??
    (await composeBrowserCore({
      dataDir: options.dataDir,
      logger: options.logger,
      demo: options.demo ?? true,
      ...(options.demoUsers === undefined ? {} : { demoUsers: options.demoUsers }),
      ...(options.platform === undefined ? {} : { platform: options.platform }),
    }));
  // Assigned once the port is known, before the first connection can be handled.
  let access: AccessControl | null = null;
  const heavy = new HeavyCallGate(options.heavyCalls);

  const server = createServer((req, res) => {
    if (access === null) {
      sendError(res, 'unavailable', 'The console host is still starting.');
      return;
    }
    handleRequest(req, res, { access, core, files, logger, heavy }).catch((error: unknown) => {
      logger.error('request handling failed', {
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      if (!res.headersSent)
        sendError(
          res,
          'internal',
          'Something went wrong inside the console host. The details are in the log.',
        );
      else res.destroy();
    });
  });
  // Slow or stalled uploads cannot hold a connection for long; the UI's requests are small.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  try {
    await listen(server, options.port);
  } catch (error) {
    if (ownsCore) await core.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new BrowserHostError(
        'port_in_use',
        `Port ${options.port} on ${LOOPBACK} is already in use. Stop the other program or pick another port with --port.`,
        {
          cause: error,
        },
      );
    }
    throw new BrowserHostError(
      'bad_option',
      `Could not listen on ${LOOPBACK}:${options.port}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('The HTTP server has no TCP address after listening.');
  const port = address.port;
  const gate = new AccessControl(port);
  access = gate;

  const sockets = new EventSockets({
    events: core.events,
    logger,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets mid-handshake must not take the process down.
    socket.on('error', () => socket.destroy());
    const pathname = pathOf(req);
    if (pathname !== HOST_EVENTS_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const denied = gate.screen(req.headers);
    if (denied !== null || req.headers.origin === undefined) {
      logger.warn('event socket refused', { reason: denied?.reason ?? 'no-origin' });
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!gate.hasSession(req.headers)) {
      logger.warn('event socket refused', { reason: 'no-session' });
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    sockets.accept(req, socket, head);
  });

  const origin = `http://${LOOPBACK}:${port}`;
  const url = `${origin}/?token=${gate.launchToken()}`;
  logger.info('browser host listening', { origin });

  let closing: Promise<void> | null = null;
  return {
    url,
    origin,
    port,
    core,
    close: () => {
      closing ??= (async () => {
        await sockets.close();
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await closed;
        if (ownsCore) await core.dispose();
        logger.info('browser host stopped');
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The path of an origin-form request target, or null for anything else (absolute-form, `*`). */
function pathOf(req: IncomingMessage): string | null {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://host.invalid').pathname;
  } catch {
    return null;
  }
}

interface RequestScope {
  access: AccessControl;
  core: ConsoleCore;
  files: StaticFiles;
  logger: Logger;
  heavy: HeavyCallGate;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void> {
  const { access, logger } = scope;
  const started = performance.now();
  const target = req.url ?? '';
  const pathname = pathOf(req);
  res.on('finish', () => {
    // Path only: the query may hold the one-time token, and bodies are never logged.
    const fields = {
      method: req.method,
      path: (pathname ?? '(invalid)').slice(0, 200),
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
    };
    if (res.statusCode >= 400) logger.info('request refused or failed', fields);
    else logger.debug('request', fields);
  });

  const isApi = pathname !== null && (pathname === '/api' || pathname.startsWith('/api/'));
  if (pathname === null) {
    sendPage(res, 400, 'Bad request', 'The request target is not a path on this host.');
    return;
  }
  const denied = access.screen(req.headers);
  if (denied !== null) {
    logger.warn('request refused', { reason: denied.reason, path: pathname.slice(0, 200) });
    if (isApi) sendError(res, 'forbidden', 'This request did not come from the console page.');
    else
      sendPage(res, 403, 'Forbidden', 'This request did not come from the console page. ' + USE_PRINTED_URL);
    return;
  }

  const query = new URL(target, 'http://host.invalid').searchParams;
  const token = query.get('token');
  if (!isApi && token !== null && req.method === 'GET') {
    const session = access.exchangeToken(token);
    if (session !== null) {
      logger.info('one-time token exchanged for a session');
      sendRedirect(res, '/', { 'Set-Cookie': access.sessionCookie(session) });
      return;
    }
    if (access.hasSession(req.headers)) {
      // The same browser opening the printed URL again: take the used token out of the address bar.
      sendRedirect(res, '/');
      return;
    }
    logger.warn('request refused', { reason: 'token-invalid-or-used' });
    sendPage(res, 401, 'Link already used', USE_PRINTED_URL);
    return;
  }

  if (!access.hasSession(req.headers)) {
    if (isApi)
      sendError(res, 'unauthorized', 'There is no console session in this browser. ' + USE_PRINTED_URL);
    else sendPage(res, 401, 'Sign-in link needed', USE_PRINTED_URL, req.method === 'HEAD');
    return;
  }

  if (isApi) {
    if (pathname.startsWith(HOST_INVOKE_PATH)) {
      await handleInvoke(req, res, pathname.slice(HOST_INVOKE_PATH.length), scope);
    } else if (pathname === HOST_EVENTS_PATH) {
      sendError(res, 'bad_input', 'Events are delivered over a WebSocket; open this path as one.', {
        status: 426,
        headers: { Upgrade: 'websocket' },
      });
    } else {
      sendError(res, 'not_found', 'The console host has no such endpoint.');
    }
    return;
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendPage(res, 405, 'Method not allowed', 'Pages of the console are only read.', false, {
      Allow: 'GET, HEAD',
    });
    return;
  }
  await scope.files.serve(pathname, res, req.method === 'HEAD');
}

async function handleInvoke(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  scope: RequestScope,
): Promise<void> {
  const { access, core } = scope;
  if (req.method !== 'POST') {
    sendError(res, 'bad_input', 'Calls are made with POST.', { status: 405, headers: { Allow: 'POST' } });
    return;
  }
  if (!access.provesSameOrigin(req.headers)) {
    sendError(
      res,
      'forbidden',
      'A call must come from the console page (no Origin or Sec-Fetch-Site header).',
    );
    return;
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    sendError(res, 'bad_input', 'Calls must send a JSON body (Content-Type: application/json).', {
      status: 415,
    });
    return;
  }
  const body = await readBody(req, MAX_PAYLOAD_BYTES);
  if (body.kind === 'aborted') {
    res.destroy();
    return;
  }
  if (body.kind === 'too_large') {
    scope.logger.warn('call refused: body too large', { method: method.slice(0, 80) });
    // The rest of the upload is not read; closing the connection afterwards is cheaper than draining it.
    sendError(res, 'payload_too_large', `The request is larger than ${MAX_PAYLOAD_BYTES} bytes.`, {
      headers: { Connection: 'close' },
    });
    return;
  }
  const parsed = parseJsonBody(body.body);
  if (!parsed.ok) {
    sendError(res, 'bad_input', 'The request body is not valid JSON.');
    return;
  }
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const heavyCall = isMethodName(method) && methods[method].heavy === true;
  if (heavyCall) {
    const permit = await scope.heavy.acquire(controller.signal);
    if (permit === null) {
      if (controller.signal.aborted) return;
      scope.logger.warn('call refused: too many heavy calls', { method, ...scope.heavy.load() });
      sendError(
        res,
        'rate_limited',
        'The console is already preparing several exports. Try again when one of them has finished.',
        { headers: { 'Retry-After': '2' } },
      );
      return;
    }
    // Held until the reply has left (or the connection is gone), not only until the handler returns.
    res.once('close', () => permit.release());
  }
  const envelope = await core.dispatch(method, parsed.value, {
    transport: 'http',
    operator: core.operator(),
    signal: controller.signal,
  });
  if (heavyCall) await streamEnvelope(res, envelope);
  else sendEnvelope(res, envelope);
}
