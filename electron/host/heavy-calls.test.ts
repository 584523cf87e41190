import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/contract/index.ts';
import { HeavyCallGate } from './heavy-calls.ts';
import { startTestHost } from './testing.ts';

describe('HeavyCallGate', () => {
  it('runs at most `running`, queues `waiting`, refuses the rest, and hands a freed permit to the next in line', async () => {
    const gate = new HeavyCallGate({ running: 2, waiting: 1 });
    const signal = new AbortController().signal;
    const a = await gate.acquire(signal);
    const b = await gate.acquire(signal);
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    const queued = gate.acquire(signal);
    expect(await gate.acquire(signal)).toBeNull();
    expect(gate.load()).toEqual({ running: 2, waiting: 1 });
    a?.release();
    a?.release(); // twice is once
    const c = await queued;
    expect(c).not.toBeNull();
    expect(gate.load()).toEqual({ running: 2, waiting: 0 });
    b?.release();
    c?.release();
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('gives up the place in line of a caller that went away', async () => {
    const gate = new HeavyCallGate({ running: 1, waiting: 2 });
    const held = await gate.acquire(new AbortController().signal);
    const leaving = new AbortController();
    const waiting = gate.acquire(leaving.signal);
    leaving.abort();
    expect(await waiting).toBeNull();
    expect(gate.load()).toEqual({ running: 1, waiting: 0 });
    held?.release();
  });
});

describe('browser host: heavy calls', () => {
  it('runs at most two CSV exports at once however many are asked for, and answers the overflow 429, never 500', async () => {
    const test = await startTestHost({ heavyCalls: { running: 2, waiting: 4 } });
    try {
      const core = test.host.core;
      const dispatch = core.dispatch;
      let inFlight = 0;
      let most = 0;
      core.dispatch = async (method, input, context) => {
        if (method !== 'roster.export') return dispatch(method, input, context);
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          // Long enough that the calls overlap.
          await new Promise((resolve) => setTimeout(resolve, 50));
          return (await dispatch(method, input, context)) as Envelope<unknown>;
        } finally {
          inFlight -= 1;
        }
      };
      const input = { filter: {}, sort: { field: 'userId', direction: 'asc' } };
      const replies = await Promise.all(Array.from({ length: 40 }, () => test.call('roster.export', input)));
      const statuses = replies.map((reply) => reply.status);
      expect(most).toBeLessThanOrEqual(2);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
      expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
      const refused = replies.find((reply) => reply.status === 429);
      expect(refused?.json()).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      expect(refused?.headers['retry-after']).toBe('2');
      // Once the line has cleared, exports run again.
      expect((await test.call('roster.export', input)).status).toBe(200);
    } finally {
      await test.stop();
    }
  });
});

describe('streamEnvelope', () => {
  it('writes exactly JSON.stringify(envelope), piece by piece, for a long string with pairs cut at any place', async () => {
    const { createServer, request } = await import('node:http');
    const { streamEnvelope, STREAM_PIECE_CHARS } = await import('./replies.ts');
    // Emoji (surrogate pairs), quotes, backslashes, control characters and CRLF around the piece boundaries.
    const unit = 'a"b\\c\u0001\r\n😀é';
    const csv = unit.repeat(Math.ceil((STREAM_PIECE_CHARS * 3) / unit.length) + 1) + '😀';
    for (const offset of [0, 1]) {
      const text = 'x'.repeat(offset) + csv;
      const envelope = { ok: true as const, value: { filename: 'roster.csv', rowCount: 3, csv: text } };
      const server = createServer((_req, res) => void streamEnvelope(res, envelope));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/' }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        })
          .on('error', reject)
          .end();
      });
      await new Promise((resolve) => server.close(resolve));
      expect(body === JSON.stringify(envelope)).toBe(true);
    }
  });
});
