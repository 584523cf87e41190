import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../core/ipc/event-bus.ts';
import type { Logger } from '../core/log/logger.ts';

/** The UI never sends anything on the events socket; a few bytes are enough for a stray message. */
const CLIENT_MAX_PAYLOAD = 1024;
/** A tab that stops reading is dropped rather than buffered without end; it reconnects and catches up by asking. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * Core events to every authenticated tab, one JSON text frame per event: `{"event": name, "payload": payload}`.
 * The caller vets the upgrade (session, Host, Origin) before calling `accept`. A heartbeat ping
 * finds sockets whose tab vanished without closing (sleep, network change) and frees them.
 */
export class EventSockets {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: CLIENT_MAX_PAYLOAD,
    perMessageDeflate: false,
  });
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly logger: Logger;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(options: { events: EventBus; logger: Logger; heartbeatMs: number }) {
    this.logger = options.logger;
    this.unsubscribe = options.events.subscribe((name, payload) =>
      this.broadcast(JSON.stringify({ event: name, payload }), name),
    );
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.wss.clients.size;
  }

  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.alive.set(ws, true);
      ws.on('pong', () => this.alive.set(ws, true));
      // Client messages carry no meaning here; reading them is enough to keep the socket flowing.
      ws.on('message', () => {});
      ws.on('error', (error) => this.logger.debug('event socket error', { error: error.message }));
      ws.on('close', () => this.logger.debug('event socket closed', { open: this.wss.clients.size }));
      this.logger.info('event socket opened', { open: this.wss.clients.size });
    });
  }

  private broadcast(frame: string, name: string): void {
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.logger.warn('event socket is not reading; dropped', { event: name });
        ws.terminate();
        continue;
      }
      ws.send(frame);
    }
  }

  private beat(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        this.logger.info('event socket missed a heartbeat; dropped');
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.close(1001, 'console host stopping');
    // Give polite closes a moment, then cut whatever is left so shutdown never hangs on a dead peer.
    await new Promise((done) => setTimeout(done, 50).unref());
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((done) => this.wss.close(() => done()));
  }
}

/** Refuses an upgrade with a plain HTTP status before any WebSocket handshake happens. */
export function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\nCache-Control: no-store\r\n\r\n`,
  );
}
