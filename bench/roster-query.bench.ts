/**
 * Roster query benchmark. Prints ONE JSON document on stdout (bench/run.ts collects it).
 *
 * For 100k and 1M synthetic connections: the engine's p50/p95 for a facet + search + sort +
 * window query, against the naive Array.filter + sort (reference-roster-query.ts) over the same
 * rows and the same queries in the same run, with its ratio. Every measured query is distinct,
 * so the engine's per-text search cache never answers a measured query. Also the encrypted store's
 * bulk load (sealing) of 100k rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RosterQuery, RosterRow, RosterSortField } from '../shared/contract/roster-query.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../electron/core/crypto/env-key-wrapper.ts';
import {
  referenceRosterQuery,
  referenceSearchText,
} from '../electron/core/roster/query/reference-roster-query.ts';
import { RosterQueryEngine } from '../electron/core/roster/query/roster-query-engine.ts';
import { syntheticRoster } from '../electron/core/roster/query/synthetic-roster.ts';
import { EncryptedStore } from '../electron/core/store/encrypted-store.ts';

const NOW = '2026-11-01T12:00:00Z';

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Distinct queries of the kinds the people table sends: facets, a search box, a sort, a page. */
function queries(count: number): RosterQuery[] {
  const shapes: Array<Omit<RosterQuery, 'now' | 'limit'>> = [];
  const searches = [
    'ana',
    'garc',
    'müller',
    'soren',
    'u_00a',
    'nguyen',
    '.1',
    'chloe',
    'dvorak',
    'example',
    'mar',
    'priya',
    'ivanov',
    'zak',
    'o’c',
    'emile',
  ];
  const sorts: RosterSortField[] = ['lastName', 'lastSyncAt', 'email', 'status', 'updatedAt', 'firstName'];
  for (let i = 0; i < count; i += 1) {
    const filter: RosterQuery['filter'] = {};
    if (i % 2 === 0) filter.status = i % 4 === 0 ? ['legacy'] : ['legacy', 'error', 'reauth_pending'];
    if (i % 3 === 0) filter.role = ['student'];
    if (i % 5 === 1) filter.syncAge = ['7to30d', 'gt30d'];
    if (i % 3 !== 2) filter.q = searches[i % searches.length];
    shapes.push({
      filter,
      sort: { field: sorts[i % sorts.length] as RosterSortField, direction: i % 2 === 0 ? 'asc' : 'desc' },
      offset: (i % 4) * 100,
    });
  }
  return shapes.map((shape) => ({ ...shape, limit: 100, now: NOW }));
}

function time<T>(work: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = work();
  return { ms: performance.now() - start, value };
}

function benchSize(rows: RosterRow[], measured: number) {
  const build = time(() => RosterQueryEngine.from(rows));
  const engine = build.value;
  // Warm-up on other queries: JIT, and the one-time collator ranks of the name columns.
  const warm = time(() => {
    for (const field of ['lastName', 'firstName', 'email'] as const)
      engine.query({
        filter: { q: 'zz-warmup' },
        sort: { field, direction: 'asc' },
        offset: 0,
        limit: 10,
        now: NOW,
      });
  });
  const searchText = new Map(rows.map((row) => [row.userId, referenceSearchText(row)]));
  const naiveOptions = {
    searchText: (row: RosterRow) => searchText.get(row.userId) ?? referenceSearchText(row),
  };
  const list = queries(measured);
  const engineMs: number[] = [];
  const naiveMs: number[] = [];
  for (const query of list) {
    const fast = time(() => engine.query(query));
    const slow = time(() => referenceRosterQuery(rows, query, naiveOptions));
    if (fast.value.total !== slow.value.total)
      throw new Error(`Engine and naive disagree on ${JSON.stringify(query)}`);
    engineMs.push(fast.ms);
    naiveMs.push(slow.ms);
  }
  const engineP95 = percentile(engineMs, 95);
  const naiveP95 = percentile(naiveMs, 95);
  return {
    rows: rows.length,
    queries: list.length,
    buildMs: round(build.ms),
    firstSortRanksMs: round(warm.ms),
    engine: { p50Ms: round(percentile(engineMs, 50)), p95Ms: round(engineP95) },
    naive: { p50Ms: round(percentile(naiveMs, 50)), p95Ms: round(naiveP95) },
    speedupAtP95: Math.round((naiveP95 / engineP95) * 10) / 10,
  };
}

function benchStoreLoad(rows: RosterRow[]) {
  const folder = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  try {
    const store = EncryptedStore.open({
      dataFolder: folder,
      keyWrapper: new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: randomBytes(32).toString('base64') }),
    });
    // Row by row (one sealed value each: an incremental refresh's way), then the same rows again in
    // batches of 1,000 sealed together (a full sync's way), then read back whole (a cache load).
    const rowByRow = time(() => store.roster.upsertMany(rows));
    const together = time(() => {
      let written = 0;
      for (let i = 0; i < rows.length; i += 1_000)
        written += store.roster.upsertSealedTogether(rows.slice(i, i + 1_000));
      return written;
    });
    const readBack = time(() => {
      let count = 0;
      for (const _ of store.roster.all()) count += 1;
      return count;
    });
    store.close();
    return {
      rows: rowByRow.value,
      rowByRowMs: Math.round(rowByRow.ms),
      sealedTogetherMs: Math.round(together.ms),
      readBackMs: Math.round(readBack.ms),
      readBackRows: readBack.value,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const started = performance.now();
const million = syntheticRoster(1_000_000, { seed: 42 });
const hundredThousand = million.slice(0, 100_000);
const store = benchStoreLoad(hundredThousand);
const at100k = benchSize(hundredThousand, 40);
// The naive query takes seconds at 1M rows: 10 samples keep the run under 90 s on a shared 2-core machine.
const at1m = benchSize(million, 10);
const result = {
  bench: 'roster-query',
  node: process.version,
  store100k: store,
  query100k: at100k,
  query1m: at1m,
  target: { speedupAtP95At1m: 10, met: at1m.speedupAtP95 >= 10 },
  totalMs: Math.round(performance.now() - started),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
