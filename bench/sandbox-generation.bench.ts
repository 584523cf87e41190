/**
 * Sandbox generation: the CPU the sandbox spends producing connection JSON, without HTTP. Walks
 * 100,000 users (no filter, pages of 1000) through `University.pageJson` from a cold JSON cache,
 * three times in one process (the first run also fills the zone's offset cache). Prints one JSON
 * document with each run's milliseconds and the microseconds per user of the best run.
 */
import { createUniversity } from '../electron/sandbox/university/index.ts';

const USERS = 100_000;
const u = createUniversity({ users: USERS, seed: 'bench', now: new Date('2026-11-24T15:00:00Z') });
const all = { statuses: null, roles: null, provider: null, q: null, updatedSinceMs: null };
const runsMs: number[] = [];
let bytes = 0;
for (let run = 0; run < 3; run++) {
  u.reset();
  bytes = 0;
  const began = performance.now();
  let after = -1;
  for (;;) {
    const page = u.pageJson(all, after, 1000, USERS);
    for (const text of page.items) bytes += text.length;
    after = page.lastScanned;
    if (page.exhausted) break;
  }
  runsMs.push(Math.round(performance.now() - began));
}
console.log(
  JSON.stringify({
    users: USERS,
    runsMs,
    bestMicrosPerUser: Math.round((Math.min(...runsMs) / USERS) * 1000 * 100) / 100,
    megabytes: Math.round(bytes / 1e5) / 10,
  }),
);
