import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { UserVerification } from '../../../shared/contract/verify.ts';
import { emptyCounts } from './classify.ts';
import { verificationCsv, VERIFY_CSV_COLUMNS } from './report-csv.ts';

const base = (userId: string, over: Partial<UserVerification>): UserVerification => ({
  userId,
  verdict: 'ok',
  counts: emptyCounts(),
  checkedAt: '2026-12-04T16:00:00Z',
  graphChecked: true,
  notChecked: [],
  platform: {
    status: 'migrated',
    syncedItemCount: 1,
    itemsRead: 1,
    lastSyncAt: null,
    lastSyncOutcome: null,
    lastErrorCode: null,
    failedRuns: { toCalendar: 0, fromCalendar: 0 },
  },
  items: [],
  error: null,
  durationMs: 1,
  ...over,
});

describe('verification CSV', () => {
  it('one row per item, a row for users without items, formula-safe, parsed back', () => {
    const csv = verificationCsv([
      base('u1', {
        verdict: 'anomalies',
        items: [
          {
            userId: 'u1',
            itemId: 'i1',
            externalEventId: '=cmd|x',
            class: 'mismatch',
            detail: 'title, "quoted", new\nline',
          },
          {
            userId: 'u1',
            itemId: 'i2',
            externalEventId: 'AAMkA',
            class: 'id_changed',
            detail: 'moved',
            newId: 'AAMkB',
          },
        ],
      }),
      base('u2', {
        verdict: 'platform_only',
        graphChecked: false,
        notChecked: ['The calendar was not read.'],
      }),
    ]);
    const parsed = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true });
    expect(parsed.data[0]).toEqual([...VERIFY_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(4);
    expect(parsed.data[1]).toEqual([
      'u1',
      'anomalies',
      'i1',
      "'=cmd|x",
      'mismatch',
      'title, "quoted", new\nline',
      '',
      '2026-12-04T16:00:00Z',
      '',
    ]);
    expect(parsed.data[2]?.[6]).toBe('AAMkB');
    expect(parsed.data[3]).toEqual([
      'u2',
      'platform_only',
      '',
      '',
      '',
      'The calendar was not read.',
      '',
      '2026-12-04T16:00:00Z',
      '',
    ]);
  });
});
