import type {
  ConnectionErrorCode,
  ConnectionStatus,
  Role,
  SyncOutcome,
} from '../../../../shared/domain/platform.ts';
import type {
  ErrorFacetValue,
  ProviderFacetValue,
  SyncAgeBucket,
  VerdictFacetValue,
} from '../../../../shared/contract/index.ts';

export const ROLE_SINGULAR: Record<Role, string> = {
  student: 'Student',
  alumni: 'Alumnus',
  career_center: 'Career center',
};

/** A user's last calendar sync run, in words (the platform says ok / partial / failed). */
export const SYNC_OUTCOME_LABEL: Record<SyncOutcome, string> = {
  ok: 'Succeeded',
  partial: 'Partly succeeded (some items were skipped)',
  failed: 'Failed',
};

export const STATUS_LABEL: Record<ConnectionStatus, string> = {
  legacy: 'On Outlook REST v2.0',
  reauth_pending: 'Re-auth pending',
  migrated: 'Migrated',
  disconnected: 'Disconnected',
  error: 'Error',
  not_connected: 'Not connected',
  not_affected: 'Not affected',
};

export const PROVIDER_LABEL: Record<ProviderFacetValue, string> = {
  office365: 'Office 365',
  google: 'Google',
  none: 'None',
};

export const ERROR_LABEL: Record<ErrorFacetValue, string> = {
  consent_revoked: 'Consent revoked',
  token_expired: 'Token expired',
  mailbox_not_found: 'Mailbox not found',
  mailbox_inactive: 'Mailbox inactive',
  throttled: 'Throttled',
  unknown: 'Unknown error',
  none: 'No error',
};

export const SYNC_AGE_LABEL: Record<SyncAgeBucket, string> = {
  never: 'Never synced',
  lt1d: 'Within a day',
  '1to7d': '1–7 days ago',
  '7to30d': '7–30 days ago',
  gt30d: 'Over 30 days ago',
};

/** The latest verification, as the Users view's Verification facet names it. */
export const VERDICT_LABEL: Record<VerdictFacetValue, string> = {
  ok: 'All items as stored',
  missing: 'Missing events',
  id_changed: 'Event id changed',
  mismatch: 'Time or title differs',
  duplicate: 'Duplicated events',
  legacy_id: 'Legacy event id',
  unverified: 'Could not be verified',
  never: 'Never verified',
};

/** What a support person should know, and tell the user, about each error. */
export const ERROR_EXPLANATION: Record<ConnectionErrorCode, string> = {
  consent_revoked:
    'The user, or their Microsoft 365 administrator, withdrew consent for calendar access. Only the user can fix it: disconnect and re-authorize Calendar Sync in Account Settings.',
  token_expired:
    'The Microsoft Graph sign-in expired and could not be renewed (a password change or a revoked session does this). The user must re-authorize Calendar Sync in Account Settings.',
  mailbox_not_found:
    'Microsoft 365 has no mailbox at the calendar address. Check the address and the user’s licence; an alumnus whose university mailbox was removed needs to connect another calendar.',
  mailbox_inactive:
    'The mailbox exists but is disabled or inactive (common after graduation). Sync resumes once the mailbox is active again, or after the user connects another calendar.',
  throttled:
    'Microsoft Graph asked the platform to slow down. The platform retries on its own; nothing to do unless it persists for days.',
  unknown:
    'The platform could not classify this failure. The message below is what it reported; pass it to platform support.',
};
