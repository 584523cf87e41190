import type {
  Diagnosis,
  TimelineEntry,
  Troubleshooting,
  VerificationSummary,
} from '../../../shared/contract/verify.ts';
import type { Connection, SyncLogEntry } from '../../../shared/domain/platform.ts';
import { diagnose, factNotes, firstGraphSyncPending } from './diagnosis.ts';

const STATUS_WORDS: Record<Connection['status'], string> = {
  legacy: 'Legacy connection (Outlook REST v2.0)',
  reauth_pending: 'Disconnected, re-authorization pending',
  migrated: 'Migrated to Microsoft Graph',
  disconnected: 'Force-disconnected',
  error: 'Connected through Graph, failing',
  not_connected: 'Calendar sync never enabled',
  not_affected: 'Not affected (not Office 365)',
};

const API_WORDS = { outlook_rest_v2: 'Outlook REST v2.0', graph: 'Microsoft Graph' } as const;

/** "2026-12-04 16:20 UTC": the support summary and timeline use one unambiguous form. */
export function plainTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function timelineOf(
  c: Connection,
  syncLog: readonly SyncLogEntry[] | null,
  verification: VerificationSummary | null,
): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  out.push({ at: c.statusChangedAt, kind: 'status', text: `Status became: ${STATUS_WORDS[c.status]}` });
  if (c.connectedAt !== null)
    out.push({
      at: c.connectedAt,
      kind: 'connected',
      text: `Connected through ${c.api === null ? 'an unknown API' : API_WORDS[c.api]}${c.api === 'graph' ? ' (re-authorized)' : ''}`,
    });
  if (c.lastError !== null)
    out.push({
      at: c.lastError.at,
      kind: 'error',
      text: `Sync error: ${c.lastError.code.replace(/_/g, ' ')}`,
    });
  for (const entry of syncLog ?? []) {
    const what = entry.direction === 'to_calendar' ? 'Sync to the calendar' : 'Import of personal events';
    const outcome =
      entry.outcome === 'ok' ? 'succeeded' : entry.outcome === 'partial' ? 'partly succeeded' : 'failed';
    out.push({
      at: entry.at,
      kind: 'sync',
      text: `${what} ${outcome}, ${entry.itemsChanged} changed${entry.errorCode ? ` (${entry.errorCode})` : ''}`,
    });
  }
  if (c.status === 'migrated' && c.connectedAt !== null && syncLog !== null && !firstGraphSyncPending(c)) {
    const connected = Date.parse(c.connectedAt);
    const first = [...syncLog]
      .reverse()
      .find((e) => Date.parse(e.at) >= connected && e.direction === 'to_calendar');
    if (first)
      out.push({
        at: first.at,
        kind: 'first_graph_sync',
        text: `First Microsoft Graph sync (${Math.round((Date.parse(first.at) - connected) / 60_000)} min after re-authorization)`,
      });
  }
  if (verification !== null)
    out.push({
      at: verification.checkedAt,
      kind: 'verification',
      text: `Verified: ${verification.verdict.replace('_', ' ')}`,
    });
  out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return out.slice(0, 300);
}

/**
 * The text support pastes into a ticket. Facts, diagnosis and recent sync runs only: no API key,
 * no token, no magic link (the link is a credential for the user's account), no event titles.
 */
export function supportSummary(input: {
  connection: Connection;
  diagnoses: readonly Diagnosis[];
  syncLog: readonly SyncLogEntry[] | null;
  verification: VerificationSummary | null;
  now: Date;
}): string {
  const { connection: c } = input;
  const t = (iso: string | null) => (iso === null ? 'never' : plainTime(iso));
  const name = [c.preferredName ?? c.firstName, c.lastName].filter((s) => s !== '').join(' ');
  const lines = [
    `Calendar sync support summary — ${plainTime(input.now.toISOString())}`,
    `User: ${name || '(no name)'} <${c.email}>, id ${c.userId}, role ${c.role.replace('_', ' ')}`,
    `Provider: ${c.provider ?? 'none'}; API: ${c.api === null ? 'none' : API_WORDS[c.api]}; mailbox: ${c.calendarMailbox ?? 'none'}`,
    `Status: ${STATUS_WORDS[c.status]} since ${t(c.statusChangedAt)}`,
    `Connected: ${c.connectedAt === null ? 'not connected now' : t(c.connectedAt)}; last sync: ${t(c.lastSyncAt)}${c.lastSyncOutcome ? ` (${c.lastSyncOutcome})` : ''}`,
    `Last error: ${c.lastError === null ? 'none' : `${c.lastError.code} at ${t(c.lastError.at)}: ${c.lastError.message.slice(0, 300)}`}`,
    `Synced items: ${c.syncedItemCount}`,
    ...factNotes(c).map((n) => `Note: ${n.text}`),
    '',
    'Diagnosis:',
    ...input.diagnoses.map((dg) => `- [${dg.code}] ${dg.explanation}\n  Next step: ${dg.nextStep}`),
  ];
  const v = input.verification;
  lines.push('', 'Latest verification:');
  if (v === null) lines.push('- none run');
  else {
    const counts = Object.entries(v.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      `- ${plainTime(v.checkedAt)}: ${v.verdict}${counts ? ` (${counts})` : ''}${v.graphChecked ? '' : ', platform only'}`,
    );
    for (const note of v.notChecked.slice(0, 5)) lines.push(`  Not checked: ${note}`);
  }
  lines.push('', 'Recent sync runs (newest first):');
  if (input.syncLog === null) lines.push('- the sync log could not be read');
  else if (input.syncLog.length === 0) lines.push('- none');
  else
    for (const e of input.syncLog.slice(0, 10))
      lines.push(
        `- ${plainTime(e.at)} ${e.direction} ${e.outcome}, ${e.itemsChanged} changed${e.errorCode ? `, ${e.errorCode}` : ''}`,
      );
  return lines.join('\n').slice(0, 20_000);
}

export function buildTroubleshooting(input: {
  connection: Connection;
  fromCache: boolean;
  syncLog: readonly SyncLogEntry[] | null;
  syncLogError: string | null;
  verification: VerificationSummary | null;
  now: Date;
  cutoffAt: string | null;
}): Troubleshooting {
  const diagnoses = diagnose({
    connection: input.connection,
    syncLog: input.syncLog,
    latestVerification: input.verification,
    now: input.now,
    cutoffAt: input.cutoffAt,
    formatTime: plainTime,
  });
  return {
    connection: input.connection,
    fromCache: input.fromCache,
    syncLog: [...(input.syncLog ?? [])].slice(0, 200),
    syncLogError: input.syncLogError,
    diagnoses,
    notes: factNotes(input.connection),
    timeline: timelineOf(input.connection, input.syncLog, input.verification),
    latestVerification: input.verification,
    supportSummary: supportSummary({
      connection: input.connection,
      diagnoses,
      syncLog: input.syncLog,
      verification: input.verification,
      now: input.now,
    }),
    checkedAt: input.now.toISOString(),
  };
}
