import { describe, expect, it } from 'vitest';
import { jobFromHash, jobHref } from './job-format.ts';

describe('a job’s address on the Jobs page', () => {
  it('round-trips a job id and refuses anything else', () => {
    expect(jobFromHash(jobHref('job_abc123'))).toBe('job_abc123');
    expect(jobFromHash('#/jobs')).toBeNull();
    expect(jobFromHash('#/jobs?job=')).toBeNull();
    expect(jobFromHash('#/jobs?job=job_1%3Cscript%3E')).toBeNull();
    expect(jobFromHash('#/jobs?state=running&job=job_Z9')).toBe('job_Z9');
  });
});
