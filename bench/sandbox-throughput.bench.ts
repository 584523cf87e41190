/**
 * Sandbox throughput: GET /connections pages (limit 200 and 1000) over real HTTP at 12k and 1M
 * users, sequentially from one client (the console's own pattern), each for a fixed number of
 * pages. Prints one JSON document. Also the start-up time (the one pass over every user).
 */
import { startSandbox } from '../electron/sandbox/index.ts';

const PAGES = { 200: 60, 1000: 20 } as const;
const out: Record<string, unknown> = {};

for (const users of [12_000, 1_000_000]) {
  const t0 = performance.now();
  const sb = await startSandbox({
    users,
    seed: 'bench',
    identity: false,
    rateLimit: { perSecond: 1e9, burst: 1e9 },
  });
  const startMs = performance.now() - t0;
  const row: Record<string, unknown> = { startMs: Math.round(startMs) };
  for (const limit of [200, 1000] as const) {
    let cursor: string | null = null;
    let items = 0;
    const began = performance.now();
    for (let p = 0; p < PAGES[limit]; p++) {
      const url = `${sb.platformUrl}/connections?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${sb.apiKey}` } });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      items += body.items.length;
      cursor = body.nextCursor;
      if (!cursor) cursor = null;
    }
    const seconds = (performance.now() - began) / 1000;
    row[`limit${limit}`] = {
      pages: PAGES[limit],
      requestsPerSecond: Math.round((PAGES[limit] / seconds) * 10) / 10,
      connectionsPerSecond: Math.round(items / seconds),
    };
  }
  row.heapMB = Math.round(process.memoryUsage().heapUsed / 1e6);
  out[`users${users}`] = row;
  await sb.close();
}
console.log(JSON.stringify(out));
