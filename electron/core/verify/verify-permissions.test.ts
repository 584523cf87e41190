import { describe, expect, it } from 'vitest';
import { methods } from '../../../shared/contract/index.ts';
import { isAllowed } from '../ipc/dispatcher.ts';

/** Who may do what with verification and the troubleshooter (checked at the dispatcher's door). */
describe('verification permissions', () => {
  const cases: Array<[keyof typeof methods, { director: boolean; support: boolean; viewer: boolean }]> = [
    ['verify.user', { director: true, support: true, viewer: false }],
    ['verify.latest', { director: true, support: true, viewer: true }],
    ['verify.list', { director: true, support: true, viewer: true }],
    ['verify.access', { director: true, support: true, viewer: true }],
    ['verify.setAccess', { director: true, support: false, viewer: false }],
    ['support.troubleshoot', { director: true, support: true, viewer: true }],
    ['support.resync', { director: true, support: true, viewer: false }],
    ['support.magicLink', { director: true, support: true, viewer: false }],
    ['support.forceDisconnect', { director: true, support: false, viewer: false }],
    ['support.findUsers', { director: true, support: true, viewer: true }],
  ];
  it.each(cases)('%s', (name, expected) => {
    const permission = methods[name].permission;
    expect({
      director: isAllowed('director', permission),
      support: isAllowed('support', permission),
      viewer: isAllowed('viewer', permission),
    }).toEqual(expected);
  });
});
