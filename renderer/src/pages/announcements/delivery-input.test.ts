import { describe, expect, it } from 'vitest';
import type { AnnouncementStateSnapshot } from './announcement-store.ts';
import { deliveryInput, planHeadline, testKey } from './delivery-input.ts';

const state: AnnouncementStateSnapshot = {
  draft: {
    templateId: 't1',
    templateVersion: 3,
    builtIn: false,
    name: 'Reminder',
    subject: 'Reconnect',
    body: 'Hi {{FirstName}}',
  },
  dirty: false,
  overrides: { university: ' Demo University ', cutoffDate: '', fallbackFirstName: '' },
  filter: { status: ['legacy'] },
  suppressed: 'a@x.edu, b@x.edu',
};

describe('the delivery the Send or draft tab asks for', () => {
  it('carries the template as saved (its version only when unchanged), the audience and the options', () => {
    const input = deliveryInput(state, { mode: 'send', sharedMailbox: ' ', linkDays: 2 });
    expect(input).toEqual({
      template: {
        subject: 'Reconnect',
        body: 'Hi {{FirstName}}',
        name: 'Reminder',
        templateId: 't1',
        templateVersion: 3,
      },
      overrides: { university: 'Demo University' },
      audience: { filter: { status: ['legacy'] }, suppressed: ['a@x.edu', 'b@x.edu'] },
      mode: 'send',
      sharedMailbox: null,
      magicLinkTtlMinutes: 2880,
    });
    const edited = deliveryInput(
      { ...state, dirty: true },
      { mode: 'drafts', sharedMailbox: 'team@x.edu', linkDays: null },
    );
    expect(edited.template).toMatchObject({ templateId: null, templateVersion: null });
    expect([edited.sharedMailbox, edited.magicLinkTtlMinutes]).toEqual(['team@x.edu', null]);
  });

  it('needs a new test after any change to the message or the sender', () => {
    const key = testKey(state, '');
    expect(testKey({ ...state }, '')).toBe(key);
    expect(testKey({ ...state, draft: { ...state.draft, body: 'Hello' } }, '')).not.toBe(key);
    expect(testKey({ ...state, overrides: { ...state.overrides, university: 'Other' } }, '')).not.toBe(key);
    expect(testKey(state, 'team@x.edu')).not.toBe(key);
    // The audience is not part of the message: changing it keeps the test.
    expect(testKey({ ...state, filter: { status: ['disconnected'] } }, '')).toBe(key);
  });

  it('headlines the plan as the operator confirms it', () => {
    const plan = { mode: 'send' as const, recipients: 28_431, earliestFinishAt: '2026-12-10T19:20:00Z' };
    expect(planHeadline(plan, 'America/New_York', 'America/New_York')).toBe(
      '28,431 recipients: earliest finish Thu 10 Dec 2026, 14:20 EST at Exchange limits',
    );
    expect(planHeadline({ ...plan, recipients: 1 }, 'America/New_York', 'Europe/Paris')).toMatch(
      /^1 recipient: earliest finish Thu 10 Dec 2026, 14:20 EST \(your time: Thu 10 Dec 2026, 20:20 (CET|GMT\+1)\)/,
    );
    expect(planHeadline({ ...plan, recipients: 0 }, null, null)).toBe('0 recipients: nobody to write to.');
    expect(planHeadline({ ...plan, mode: 'drafts' }, 'UTC', null)).toMatch(/drafts done by about/);
  });
});
