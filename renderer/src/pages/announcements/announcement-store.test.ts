import { beforeEach, describe, expect, it } from 'vitest';
import { overridesInput, senderInput, suppressedList, useAnnouncementStore } from './announcement-store.ts';

describe('announcement store', () => {
  beforeEach(() => useAnnouncementStore.setState({ dirty: false }));

  it('takes a pasted first line "Subject: …" into the subject and keeps the rest as the body', () => {
    useAnnouncementStore.getState().setBody('Subject: Reconnect by [DATE PROVIDED]\r\n\r\nHi {{FirstName}},');
    const { draft, dirty } = useAnnouncementStore.getState();
    expect(draft.subject).toBe('Reconnect by [DATE PROVIDED]');
    expect(draft.body).toBe('Hi {{FirstName}},');
    expect(dirty).toBe(true);
    useAnnouncementStore.getState().setBody('Plain text, no subject line');
    expect(useAnnouncementStore.getState().draft.subject).toBe('Reconnect by [DATE PROVIDED]');
  });

  it('sends only the overrides the operator filled in', () => {
    expect(overridesInput({ university: '  ', cutoffDate: '', fallbackFirstName: '' })).toEqual({});
    expect(
      overridesInput({ university: ' Demo U ', cutoffDate: '2026-12-15', fallbackFirstName: 'friend' }),
    ).toEqual({
      university: 'Demo U',
      cutoffAt: '2026-12-15',
      fallbackFirstName: 'friend',
    });
  });

  it('reads a suppression list of emails and ids separated by lines, commas or spaces', () => {
    expect(suppressedList('a@x.edu\n\n u_1 , b@y.edu;c@z.edu')).toEqual([
      'a@x.edu',
      'u_1',
      'b@y.edu',
      'c@z.edu',
    ]);
  });

  it('previews with a sender only once its address looks complete', () => {
    expect(senderInput({ name: 'CC', address: 'careers@' })).toBeNull();
    expect(senderInput({ name: ' CC ', address: ' careers@x.edu ' })).toEqual({
      name: 'CC',
      address: 'careers@x.edu',
    });
  });
});
