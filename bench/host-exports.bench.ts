/**
 * Concurrent CSV exports through the browser host. Prints ONE JSON document on stdout (bench/run.ts
 * collects it).
 *
 * The browser host in this process, on the demo roster (12,000 users, synced first), then 2,000
 * `roster.export` calls sent at once over loopback HTTP, as the report in issue 10 did (it reached
 * 7.3 GB before the host bounded heavy calls). Reports the process's peak resident memory while they
 * ran ("peak RSS during 2,000 concurrent CSV exports"), how many were answered with the CSV and how many
 * were told to come back (429), and the CSV's size.
 */
import { request } from 'node:http';
import { DEMO_USERS } from '../electron/sandbox/demo.ts';
import { startTestHost } from '../electron/host/testing.ts';

const CONCURRENT = 2_000;
const SYNC_TIMEOUT_MS = 5 * 60_000;

const test = await startTestHost();
try {
  const started = Date.now();
  for (;;) {
    const reply = (await test.call('roster.status', {})).json() as {
      ok: boolean;
      value?: { rowCount: number; running: unknown; lastFullSyncAt: string | null };
    };
    const state = reply.value;
    if (state && state.lastFullSyncAt !== null && state.running === null && state.rowCount === DEMO_USERS)
      break;
    if (Date.now() - started > SYNC_TIMEOUT_MS) throw new Error('the demo roster did not sync in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const headers = { ...test.pageHeaders(), 'Content-Type': 'application/json' };
  const body = JSON.stringify({ filter: {}, sort: { field: 'userId', direction: 'asc' } });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  let csvBytes = 0;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: test.host.port,
          method: 'POST',
          path: '/api/invoke/roster.export',
          headers,
          agent: false,
          setHost: false,
        },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => {
            if (res.statusCode === 200) csvBytes = bytes;
            resolve(res.statusCode ?? 0);
          });
        },
      );
      // Under this load some connections are reset before they are answered (listen backlog, header timeout).
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' ? resolve(-1) : reject(error),
      );
      req.end(body);
    });
  const t0 = performance.now();
  const statuses = await Promise.all(Array.from({ length: CONCURRENT }, one));
  const elapsedMs = performance.now() - t0;
  clearInterval(sampler);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  process.stdout.write(
    `${JSON.stringify({
      'peak RSS during 2,000 concurrent CSV exports (MB)': mb(peak),
      'RSS before the exports (MB)': mb(baseline),
      'exports answered with the CSV': statuses.filter((s) => s === 200).length,
      'exports told to retry (429)': statuses.filter((s) => s === 429).length,
      'connections reset before an answer': statuses.filter((s) => s === -1).length,
      'other answers': statuses.filter((s) => s !== 200 && s !== 429 && s !== -1).length,
      'reply size of one export (MB)': Math.round((csvBytes / 1024 / 1024) * 10) / 10,
      'all answered in (ms)': Math.round(elapsedMs),
      users: DEMO_USERS,
    })}\n`,
  );
} finally {
  await test.stop();
}
