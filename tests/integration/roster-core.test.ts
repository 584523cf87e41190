import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterQueryResult, RosterSyncState, SavedView } from '../../shared/contract/index.ts';
import type { ConsoleCore } from '../../electron/core/compose.ts';
import type { CallContext } from '../../electron/core/ipc/dispatcher.ts';
import { createMemoryLogger } from '../../electron/core/log/logger.ts';
import { composeBrowserCore } from '../../electron/host/compose-browser-core.ts';

const context: CallContext = { transport: 'test', operator: { id: 't', role: 'director' } };
let core: ConsoleCore;
let dir: string;

async function call<T>(method: string, input: unknown): Promise<T> {
  const reply = await core.dispatch(method, input, context);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-core-'));
  core = await composeBrowserCore({ dataDir: dir, logger: createMemoryLogger() });
  // The demo's first full sync runs in the background from start; wait for it to finish.
  for (let i = 0; i < 300; i += 1) {
    const state = await call<RosterSyncState>('roster.status', {});
    if (state.lastFullSyncAt !== null && state.running === null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

afterAll(async () => {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('roster through core.dispatch (demo)', () => {
  it('syncs the demo roster and answers queries with facets consistent with the migration counts', async () => {
    const state = await call<RosterSyncState>('roster.status', {});
    expect(state).toMatchObject({ rowCount: 12_000, lastError: null, offline: false });
    const migration = await call<{ counts: { byStatus: Record<string, number> } }>('migration.overview', {});
    const result = await call<RosterQueryResult>('roster.query', {
      filter: {},
      sort: { field: 'lastName', direction: 'asc' },
      offset: 0,
      limit: 50,
      now: '2026-11-02T00:00:00Z',
    });
    expect(result.total).toBe(12_000);
    expect(result.rows).toHaveLength(50);
    expect(result.facets.status).toEqual(migration.counts.byStatus);
    const students = await call<RosterQueryResult>('roster.query', {
      filter: { role: ['student'], status: ['legacy'] },
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 10,
      now: '2026-11-02T00:00:00Z',
    });
    expect(students.rows.every((r) => r.role === 'student' && r.status === 'legacy')).toBe(true);
    const bad = await core.dispatch(
      'roster.query',
      {
        filter: { status: ['paused'] },
        sort: { field: 'lastName', direction: 'asc' },
        offset: 0,
        limit: 10,
        now: 'x',
      },
      context,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('gets one user fresh from the platform', async () => {
    const page = await call<RosterQueryResult>('roster.query', {
      filter: {},
      sort: { field: 'userId', direction: 'asc' },
      offset: 0,
      limit: 1,
      now: '2026-11-02T00:00:00Z',
    });
    const userId = page.rows[0]?.userId ?? '';
    expect(await call('roster.get', { userId })).toMatchObject({ fromCache: false, connection: { userId } });
    expect(await core.dispatch('roster.get', { userId: 'u_nobody' }, context)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('exports the whole match as CSV', async () => {
    const exported = await call<{ rowCount: number; csv: string; filename: string }>('roster.export', {
      filter: { status: ['error'] },
      sort: { field: 'lastName', direction: 'asc' },
    });
    const table = Papa.parse<string[]>(exported.csv, { skipEmptyLines: true }).data;
    expect(exported.rowCount).toBeGreaterThan(0);
    expect(table).toHaveLength(exported.rowCount + 1);
    expect(new Set(table.slice(1).map((r) => r[6]))).toEqual(new Set(['error']));
    expect(exported.filename).toMatch(/^roster-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('lists built-in views first, saves, replaces and deletes views, and refuses to delete a built-in one', async () => {
    const initial = await call<SavedView[]>('views.list', {});
    expect(initial.filter((v) => v.builtIn).map((v) => v.name)).toEqual([
      'Students not yet migrated',
      'Errors',
      'Force-disconnected',
      'First Graph sync pending',
    ]);
    expect(initial.find((v) => v.name === 'Students not yet migrated')?.filter).toEqual({
      role: ['student'],
      status: ['legacy', 'reauth_pending'],
    });
    const saved = await call<SavedView>('views.save', {
      name: 'Alumni on Graph',
      filter: { role: ['alumni'], status: ['migrated'] },
      sort: { field: 'lastName', direction: 'asc' },
    });
    expect(saved).toMatchObject({ builtIn: false, name: 'Alumni on Graph' });
    await call('views.save', {
      id: saved.id,
      name: 'Alumni migrated',
      filter: { role: ['alumni'] },
      sort: { field: 'email', direction: 'desc' },
    });
    const listed = await call<SavedView[]>('views.list', {});
    expect(listed.filter((v) => !v.builtIn)).toEqual([
      {
        id: saved.id,
        name: 'Alumni migrated',
        filter: { role: ['alumni'] },
        sort: { field: 'email', direction: 'desc' },
        builtIn: false,
      },
    ]);
    const builtIn = listed.find((v) => v.builtIn);
    expect(await core.dispatch('views.delete', { id: builtIn?.id }, context)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await core.dispatch(
        'views.save',
        { id: builtIn?.id, name: 'x', filter: {}, sort: { field: 'email', direction: 'asc' } },
        context,
      ),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('views.delete', { id: saved.id })).toEqual({ deleted: true });
    expect(await call('views.delete', { id: saved.id })).toEqual({ deleted: false });
    expect((await call<SavedView[]>('views.list', {})).length).toBe(initial.length);
  });

  it('summarizes the dashboard: platform history, a forecast to the cut-off, no announcement days yet', async () => {
    const summary = await call<{
      history: Array<{ source: string; date: string }>;
      forecast: { points: Array<{ date: string }> } | null;
      announcementDays: string[];
    }>('dashboard.summary', {});
    expect(summary.history.length).toBeGreaterThanOrEqual(45);
    expect(summary.history.some((d) => d.source === 'platform')).toBe(true);
    expect(summary.forecast).not.toBeNull();
    expect(summary.forecast?.points.length).toBeGreaterThan(0);
    expect(summary.announcementDays).toEqual([]);
  });
});
