import type { Diagnosis, VerificationSummary } from '../../../shared/contract/verify.ts';
import type { Connection, ConnectionStatus, SyncLogEntry } from '../../../shared/domain/platform.ts';

/**
 * The troubleshooter's rules: one diagnosis for every status (docs/diagnosis.md is the table, and
 * diagnosis.test.ts covers it row by row), plus findings that can add to any connected status
 * (personal-event imports failing, a verification that found anomalies). Pure: facts in, findings
 * out; the UI and `doctor` print them as they are.
 */
export interface DiagnosisFacts {
  connection: Connection;
  /** Newest first; null when it could not be read. */
  syncLog: readonly SyncLogEntry[] | null;
  latestVerification: VerificationSummary | null;
  now: Date;
  /** The migration's cut-off, when known. */
  cutoffAt?: string | null;
  /** Formats an instant for people (the platform's zone); ISO by default. */
  formatTime?: (iso: string) => string;
}

/** How long the platform says the first Graph sync can take after re-authorization. */
export const FIRST_SYNC_MINUTES = 30;

const MINUTE = 60_000;

const FAQ_STEPS =
  'Ask the user to sign out of the career platform, clear the browser cache, restart the browser and sign in again; the re-sync can take 30 minutes. If imports still fail after that, trigger a resync.';

export const DIAGNOSIS_CODES = [
  'not_affected',
  'never_connected',
  'legacy_connection',
  'reauth_pending',
  'initial_sync_in_progress',
  'initial_sync_overdue',
  'sync_failed',
  'sync_partial',
  'migrated_ok',
  'consent_revoked',
  'token_expired',
  'mailbox_not_found',
  'mailbox_inactive',
  'throttled',
  'sync_error_unknown',
  'disconnected',
  'personal_import_failing',
  'verification_anomalies',
  'verification_incomplete',
] as const;
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

function d(
  code: DiagnosisCode,
  severity: Diagnosis['severity'],
  explanation: string,
  nextStep: string,
  checkAgainAt: string | null = null,
): Diagnosis {
  return { code, severity, explanation, nextStep, checkAgainAt };
}

function ago(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.round((nowMs - fromMs) / MINUTE));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

/** True while a migrated connection has had no Graph sync yet (no last sync, or one older than the connection). */
export function firstGraphSyncPending(c: Connection): boolean {
  if (c.connectedAt === null) return false;
  return c.lastSyncAt === null || Date.parse(c.lastSyncAt) < Date.parse(c.connectedAt);
}

function statusRule(facts: DiagnosisFacts): Diagnosis {
  const { connection: c, now } = facts;
  const fmt = facts.formatTime ?? ((iso: string) => iso);
  const nowMs = now.getTime();
  const since = fmt(c.statusChangedAt);
  const cutoff = facts.cutoffAt ? ` before the cut-off (${fmt(facts.cutoffAt)})` : ' before the cut-off';
  const status: ConnectionStatus = c.status;
  switch (status) {
    case 'not_affected':
      return d(
        'not_affected',
        'ok',
        `This user's calendar provider is ${c.provider === 'google' ? 'Google' : 'not Office 365'}; the move to Microsoft Graph does not concern them.`,
        'Nothing to do for the migration.',
      );
    case 'not_connected':
      return d(
        'never_connected',
        'info',
        'An Office 365 user who never turned on calendar sync, so nothing syncs and nothing needs to move.',
        'Nothing is required. If they want calendar sync, send them a magic link to the calendar-sync settings.',
      );
    case 'legacy':
      return d(
        'legacy_connection',
        'warning',
        `Still connected through the retired Outlook REST v2.0 API (since ${since}). The user must disconnect and re-authorize${cutoff}, or the platform disconnects them.`,
        'Send a magic link so they can re-authorize in two clicks (or make sure they got the announcement).',
      );
    case 'reauth_pending':
      return d(
        'reauth_pending',
        'warning',
        `Disconnected the legacy connection ${ago(Date.parse(c.statusChangedAt), nowMs)} (${since}) but has not re-authorized: nothing syncs until they do.`,
        'Send a magic link to re-authorize.',
      );
    case 'disconnected':
      return d(
        'disconnected',
        'warning',
        `Force-disconnected on ${since} (by an administrator or at the cut-off). Nothing syncs until the user re-authorizes; events already on the calendar stay there.`,
        'Send a reconnect magic link.',
      );
    case 'migrated': {
      if (firstGraphSyncPending(c) && c.connectedAt !== null) {
        const connectedMs = Date.parse(c.connectedAt);
        const dueMs = connectedMs + FIRST_SYNC_MINUTES * MINUTE;
        const last =
          c.lastSyncAt === null
            ? 'no sync has run since'
            : `the last sync (${fmt(c.lastSyncAt)}) is older than the connection`;
        if (nowMs < dueMs) {
          const due = new Date(dueMs).toISOString();
          return d(
            'initial_sync_in_progress',
            'info',
            `Re-authorized ${ago(connectedMs, nowMs)} (${fmt(c.connectedAt)}) and ${last}: the first Microsoft Graph sync can take up to ${FIRST_SYNC_MINUTES} minutes.`,
            `The initial sync is in progress: check again at ${fmt(due)}.`,
            due,
          );
        }
        return d(
          'initial_sync_overdue',
          'warning',
          `Re-authorized ${ago(connectedMs, nowMs)} (${fmt(c.connectedAt)}) and ${last}: the first Microsoft Graph sync should have finished within ${FIRST_SYNC_MINUTES} minutes.`,
          'Trigger a resync. If no sync shows 30 minutes after it, send the support summary to the platform.',
        );
      }
      if (c.lastSyncOutcome === 'failed')
        return d(
          'sync_failed',
          'error',
          `Connected through Microsoft Graph, but the last sync (${c.lastSyncAt === null ? 'time unknown' : fmt(c.lastSyncAt)}) failed.`,
          'Trigger a resync. If it fails again, send the support summary to the platform.',
        );
      if (c.lastSyncOutcome === 'partial')
        return d(
          'sync_partial',
          'warning',
          `Connected through Microsoft Graph; the last sync (${c.lastSyncAt === null ? 'time unknown' : fmt(c.lastSyncAt)}) finished only partly: some items were not written.`,
          'Usually the next run catches up. If it stays partial, trigger a resync and verify the calendar.',
        );
      return d(
        'migrated_ok',
        'ok',
        `Connected through Microsoft Graph since ${c.connectedAt === null ? since : fmt(c.connectedAt)}; the last sync${c.lastSyncAt === null ? '' : ` (${fmt(c.lastSyncAt)})`} succeeded.`,
        'Nothing to do. If the user reports missing events, run “Verify now”.',
      );
    }
    case 'error': {
      const at = c.lastError ? ` since ${fmt(c.lastError.at)}` : '';
      switch (c.lastError?.code) {
        case 'consent_revoked':
          return d(
            'consent_revoked',
            'error',
            `The permission for the platform to use the calendar was withdrawn (by the user or an administrator)${at}, so Microsoft refuses the sync.`,
            'The user must re-authorize: send a magic link.',
          );
        case 'token_expired':
          return d(
            'token_expired',
            'error',
            `The sign-in the platform holds for this calendar expired${at} (a password change or a sign-in policy can do this).`,
            'The user must re-authorize: send a magic link.',
          );
        case 'mailbox_not_found':
          return d(
            'mailbox_not_found',
            'error',
            `Microsoft 365 has no mailbox for this account${at} (no Exchange licence, a changed address, or a deleted account).`,
            'Check the account with IT (licence, mailbox, address). Once it has a mailbox, the user re-authorizes.',
          );
        case 'mailbox_inactive':
          return d(
            'mailbox_inactive',
            'error',
            `The mailbox exists but is inactive, soft-deleted or on-premises${at}, so Microsoft Graph cannot reach it.`,
            'Check the account with IT. Once the mailbox is active in Exchange Online, trigger a resync.',
          );
        case 'throttled':
          return d(
            'throttled',
            'warning',
            `Microsoft is throttling requests for this mailbox${at}; the platform retries on its own.`,
            'Wait and check again in an hour. If it persists for a day, trigger a resync and tell the platform.',
          );
        default:
          return d(
            'sync_error_unknown',
            'error',
            `Connected through Microsoft Graph, but syncing fails${at}${c.lastError ? `: “${c.lastError.message.slice(0, 200)}”` : ''}.`,
            'Trigger a resync. If it fails again, send the support summary to the platform.',
          );
      }
    }
  }
}

/** Every finding for this user, the status rule first. */
export function diagnose(facts: DiagnosisFacts): Diagnosis[] {
  const out = [statusRule(facts)];
  const { connection: c, syncLog } = facts;
  const syncing = c.status === 'migrated' || c.status === 'error' || c.status === 'legacy';
  if (syncing && syncLog !== null) {
    const lastImport = syncLog.find((e) => e.direction === 'from_calendar');
    const lastExport = syncLog.find((e) => e.direction === 'to_calendar');
    // Only when the import alone fails: a connection failing both ways has its own rule above.
    if (lastImport?.outcome === 'failed' && lastExport?.outcome !== 'failed') {
      const fmt = facts.formatTime ?? ((iso: string) => iso);
      out.push(
        d(
          'personal_import_failing',
          'warning',
          `The import of the user's personal events (busy times) failed at ${fmt(lastImport.at)}${lastImport.errorCode ? ` (${lastImport.errorCode})` : ''}, so the platform does not see when they are busy.`,
          FAQ_STEPS,
        ),
      );
    }
  }
  const v = facts.latestVerification;
  if (v?.verdict === 'anomalies') {
    const parts = (['missing', 'id_changed', 'mismatch', 'duplicate', 'legacy_id'] as const)
      .filter((k) => (v.counts[k] ?? 0) > 0)
      .map((k) => `${v.counts[k]} ${k.replace('_', ' ')}`);
    out.push(
      d(
        'verification_anomalies',
        'warning',
        `The latest verification (${(facts.formatTime ?? ((s: string) => s))(v.checkedAt)}) found synced items that are not as the platform stored them: ${parts.join(', ')}.`,
        'Trigger a resync so the platform rewrites them, then verify again. Items still wrong after that go to the platform with the support summary.',
      ),
    );
  } else if (v?.verdict === 'incomplete' || v?.verdict === 'failed') {
    out.push(
      d(
        'verification_incomplete',
        'info',
        `The latest verification could not check everything: ${v.error ?? v.notChecked[0] ?? 'see its details'}.`,
        'Run “Verify now” again later.',
      ),
    );
  }
  return out;
}

/** Facts that look contradictory side by side, with what they mean (never shown without this). */
export function factNotes(c: Connection): Array<{ field: string; text: string }> {
  const notes: Array<{ field: string; text: string }> = [];
  if (
    c.lastSyncOutcome !== null &&
    c.lastSyncAt !== null &&
    c.connectedAt !== null &&
    Date.parse(c.lastSyncAt) < Date.parse(c.connectedAt)
  )
    notes.push({
      field: 'lastSync',
      text: 'This last sync (and its outcome) happened before the current connection: no sync has run since the user re-authorized.',
    });
  if (c.connectedAt === null && c.syncedItemCount > 0)
    notes.push({
      field: 'connectedAt',
      text: `Not connected now. The ${c.syncedItemCount} synced items were placed on the calendar by an earlier connection and stay there.`,
    });
  if (c.lastSyncOutcome === 'ok' && c.syncedItemCount === 0)
    notes.push({
      field: 'syncedItemCount',
      text: 'The last sync succeeded with nothing to place: the platform has no events, appointments or interviews for this user.',
    });
  return notes;
}
