import { describe, expect, it } from 'vitest';
import type { VerificationSummary } from '../../../shared/contract/verify.ts';
import { Connection, type SyncLogEntry } from '../../../shared/domain/platform.ts';
import { connectionJson } from '../../../shared/domain/test-support/platform-samples.ts';
import { DIAGNOSIS_CODES, diagnose, factNotes, type DiagnosisCode } from './diagnosis.ts';
import { buildTroubleshooting } from './troubleshoot.ts';

/** docs/diagnosis.md row by row: each rule's facts give its code, and each code has a case here. */
const NOW = new Date('2026-12-04T16:00:00Z');
const min = (n: number) => new Date(NOW.getTime() - n * 60_000).toISOString();

function conn(overrides: Record<string, unknown>): Connection {
  return Connection.parse(connectionJson(overrides));
}

const migrated = {
  status: 'migrated',
  api: 'graph',
  connectedAt: min(600),
  lastSyncAt: min(20),
  lastSyncOutcome: 'ok',
  statusChangedAt: min(600),
};
const failing = (code: string) => ({
  ...migrated,
  status: 'error',
  lastError: { code, message: 'x', at: min(60) },
});

const verification = (verdict: VerificationSummary['verdict']): VerificationSummary => ({
  userId: 'u_01HF0001',
  verdict,
  counts: { ok: 3, missing: 1, id_changed: 0, mismatch: 2, duplicate: 0, legacy_id: 0, unverified: 0 },
  checkedAt: min(5),
  graphChecked: true,
  notChecked: verdict === 'incomplete' ? ['1 item(s) could not be checked'] : [],
  platform: {
    status: 'migrated',
    syncedItemCount: 6,
    itemsRead: 6,
    lastSyncAt: null,
    lastSyncOutcome: null,
    lastErrorCode: null,
    failedRuns: { toCalendar: 0, fromCalendar: 0 },
  },
  error: null,
  durationMs: 10,
});

const log = (direction: SyncLogEntry['direction'], outcome: SyncLogEntry['outcome']): SyncLogEntry => ({
  at: min(30),
  direction,
  outcome,
  itemsChanged: 0,
  ...(outcome === 'failed' ? { errorCode: 'import_failed' } : {}),
});

const CASES: Array<{
  code: DiagnosisCode;
  connection: Record<string, unknown>;
  syncLog?: SyncLogEntry[];
  verification?: VerificationSummary;
  severity: string;
  next: RegExp;
}> = [
  {
    code: 'not_affected',
    connection: { status: 'not_affected', provider: 'google', api: null, connectedAt: null },
    severity: 'ok',
    next: /Nothing to do/,
  },
  {
    code: 'never_connected',
    connection: { status: 'not_connected', api: null, connectedAt: null, calendarMailbox: null },
    severity: 'info',
    next: /magic link/,
  },
  { code: 'legacy_connection', connection: { status: 'legacy' }, severity: 'warning', next: /magic link/ },
  {
    code: 'reauth_pending',
    connection: { status: 'reauth_pending', api: null, connectedAt: null },
    severity: 'warning',
    next: /magic link/,
  },
  {
    code: 'initial_sync_in_progress',
    connection: { ...migrated, connectedAt: min(10), lastSyncAt: min(60 * 24 * 3) },
    severity: 'info',
    next: /check again at 2026-12-04 16:20 UTC/,
  },
  {
    code: 'initial_sync_overdue',
    connection: { ...migrated, connectedAt: min(45), lastSyncAt: null, lastSyncOutcome: null },
    severity: 'warning',
    next: /resync/,
  },
  {
    code: 'initial_sync_overdue',
    connection: { ...migrated, connectedAt: min(45), lastSyncAt: min(3000) },
    severity: 'warning',
    next: /resync/,
  },
  {
    code: 'sync_failed',
    connection: { ...migrated, lastSyncOutcome: 'failed' },
    severity: 'error',
    next: /resync/,
  },
  {
    code: 'sync_partial',
    connection: { ...migrated, lastSyncOutcome: 'partial' },
    severity: 'warning',
    next: /resync/,
  },
  { code: 'migrated_ok', connection: migrated, severity: 'ok', next: /Verify now/ },
  {
    code: 'consent_revoked',
    connection: failing('consent_revoked'),
    severity: 'error',
    next: /must re-authorize/,
  },
  {
    code: 'token_expired',
    connection: failing('token_expired'),
    severity: 'error',
    next: /must re-authorize/,
  },
  { code: 'mailbox_not_found', connection: failing('mailbox_not_found'), severity: 'error', next: /with IT/ },
  { code: 'mailbox_inactive', connection: failing('mailbox_inactive'), severity: 'error', next: /with IT/ },
  { code: 'throttled', connection: failing('throttled'), severity: 'warning', next: /check again/ },
  { code: 'sync_error_unknown', connection: failing('unknown'), severity: 'error', next: /resync/ },
  {
    code: 'disconnected',
    connection: { status: 'disconnected', connectedAt: null, syncedItemCount: 54 },
    severity: 'warning',
    next: /reconnect magic link/,
  },
  {
    code: 'personal_import_failing',
    connection: migrated,
    syncLog: [log('to_calendar', 'ok'), log('from_calendar', 'failed')],
    severity: 'warning',
    next: /sign out.*clear the browser cache.*restart the browser.*sign in again.*30 minutes/,
  },
  {
    code: 'verification_anomalies',
    connection: migrated,
    verification: verification('anomalies'),
    severity: 'warning',
    next: /resync/,
  },
  {
    code: 'verification_incomplete',
    connection: migrated,
    verification: verification('incomplete'),
    severity: 'info',
    next: /Verify now/,
  },
];

describe('diagnosis rules (docs/diagnosis.md)', () => {
  it.each(CASES)('$code', (c) => {
    const found = diagnose({
      connection: conn(c.connection),
      syncLog: c.syncLog ?? [],
      latestVerification: c.verification ?? null,
      now: NOW,
      cutoffAt: '2026-12-15T23:59:00-05:00',
      formatTime: (iso) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
    const hit = found.find((d) => d.code === c.code);
    expect(hit, JSON.stringify(found.map((d) => d.code))).toBeDefined();
    expect(hit?.severity).toBe(c.severity);
    expect(hit?.nextStep).toMatch(c.next);
    expect(hit?.explanation.length).toBeGreaterThan(20);
  });

  it('every code has a case, and every status has exactly one status rule', () => {
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(DIAGNOSIS_CODES));
    for (const status of [
      'legacy',
      'reauth_pending',
      'migrated',
      'disconnected',
      'error',
      'not_connected',
      'not_affected',
    ]) {
      const found = diagnose({
        connection: conn({ status }),
        syncLog: [],
        latestVerification: null,
        now: NOW,
      });
      expect(found).toHaveLength(1);
    }
  });

  it('a failed personal-event import only counts when it is the newest import', () => {
    const found = diagnose({
      connection: conn(migrated),
      syncLog: [log('from_calendar', 'ok'), log('from_calendar', 'failed')],
      latestVerification: null,
      now: NOW,
    });
    expect(found.map((d) => d.code)).toEqual(['migrated_ok']);
  });
});

describe('contradictory facts are explained', () => {
  it('a last sync older than the connection, "Succeeded" with 0 items, and no connection beside synced items', () => {
    expect(
      factNotes(conn({ ...migrated, connectedAt: min(45), lastSyncAt: min(3000), syncedItemCount: 0 })).map(
        (n) => n.field,
      ),
    ).toEqual(['lastSync', 'syncedItemCount']);
    expect(
      factNotes(conn({ status: 'disconnected', connectedAt: null, syncedItemCount: 54 }))[0]?.text,
    ).toMatch(/54 synced items were placed on the calendar by an earlier connection/);
    expect(factNotes(conn(migrated))).toEqual([]);
  });
});

describe('support summary', () => {
  it('is plain text with the facts and diagnosis, without secrets or magic links', () => {
    const t = buildTroubleshooting({
      connection: conn({ ...failing('consent_revoked'), email: 'ada@school.edu' }),
      fromCache: false,
      syncLog: [log('to_calendar', 'failed')],
      syncLogError: null,
      verification: verification('anomalies'),
      now: NOW,
      cutoffAt: null,
    });
    expect(t.supportSummary).toMatch(/consent_revoked/);
    expect(t.supportSummary).toMatch(/ada@school\.edu/);
    expect(t.supportSummary).toMatch(/Next step: The user must re-authorize/);
    expect(t.supportSummary).not.toMatch(/https?:\/\/|token|Bearer|apiKey/i);
    expect(t.timeline.length).toBeGreaterThan(2);
    expect(t.timeline.map((e) => Date.parse(e.at))).toEqual(
      [...t.timeline.map((e) => Date.parse(e.at))].sort((a, b) => b - a),
    );
  });
});

describe('personal-event imports', () => {
  it('are not singled out when the sync fails both ways', () => {
    const found = diagnose({
      connection: conn(failing('consent_revoked')),
      syncLog: [log('from_calendar', 'failed'), log('to_calendar', 'failed')],
      latestVerification: null,
      now: NOW,
    });
    expect(found.map((d) => d.code)).toEqual(['consent_revoked']);
  });
});
