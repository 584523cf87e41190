import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../../shared/contract/index.ts';
import { typedCount } from './ForceDisconnectDialog.tsx';
import { etaText, rateText, settledOf } from './job-format.ts';

const job = (over: Partial<JobSummary>): JobSummary => ({
  id: 'job_1',
  kind: 'force-disconnect',
  label: 'x',
  state: 'running',
  stateReason: null,
  destructive: true,
  createdAt: '2026-12-01T00:00:00Z',
  createdBy: 'cli',
  createdByName: null,
  scheduledAt: null,
  startedAt: null,
  finishedAt: null,
  parentId: null,
  total: 10,
  counts: {},
  progress: { done: 3, skipped: 2, failed: 1, pending: 4 },
  rate: 2.5,
  etaSeconds: 130,
  ...over,
});

describe('job formatting', () => {
  it('counts settled users and words rate and ETA only while running', () => {
    expect(settledOf(job({}))).toBe(6);
    expect(rateText(job({}))).toBe(' · 2.5/s');
    expect(etaText(job({}))).toBe(' · about 2 min left');
    expect(etaText(job({ etaSeconds: 30 }))).toBe(' · about 30 s left');
    expect(rateText(job({ state: 'paused' }))).toBe('');
    expect(etaText(job({ etaSeconds: null }))).toBe('');
  });

  it('reads a typed confirmation count with or without separators', () => {
    expect(typedCount('5,486')).toBe(5486);
    expect(typedCount(' 5486 ')).toBe(5486);
    expect(typedCount('5 486')).toBe(5486);
    expect(typedCount('5486x')).toBeNull();
    expect(typedCount('')).toBeNull();
  });
});
