/** Contract-shaped sample replies (as JSON, before parsing) for the schema and client tests. */
export function connectionJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userId: 'u_01HF0001',
    firstName: 'Ada',
    lastName: 'Lovelace',
    preferredName: null,
    email: 'ada@school.edu',
    role: 'student',
    provider: 'office365',
    api: 'outlook_rest_v2',
    status: 'legacy',
    statusChangedAt: '2026-01-05T10:00:00-05:00',
    connectedAt: '2025-09-01T09:00:00-04:00',
    lastSyncAt: null,
    lastSyncOutcome: null,
    lastError: null,
    syncedItemCount: 3,
    calendarMailbox: 'ada@school.edu',
    updatedAt: '2026-01-05T10:00:00Z',
    etag: '"3"',
    ...overrides,
  };
}

export function migrationJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    platformName: 'Careers at Example U',
    legacyApi: 'outlook_rest_v2',
    targetApi: 'graph',
    cutoffAt: '2026-12-15T23:59:00-05:00',
    timezone: 'America/New_York',
    reauthorizeUrl: 'https://careers.example.edu/account-settings/calendar-sync',
    helpArticleUrl: 'https://careers.example.edu/help/reauthorizing-calendar-sync',
    counts: {
      total: 5,
      byStatus: { legacy: 3, migrated: 2 },
      byRole: { student: { legacy: 3, migrated: 2 } },
    },
    asOf: '2026-06-01T12:00:00Z',
    ...overrides,
  };
}
