/**
 * The pages the shell must offer, written out by hand on purpose: the suite checks the registry
 * against this expectation instead of trusting it.
 */
export const CONSOLE_PAGES = [
  { hash: '#/dashboard', title: 'Dashboard', shortcut: 'Alt+1' },
  { hash: '#/users', title: 'Users', shortcut: 'Alt+2' },
  { hash: '#/announcements', title: 'Announcements', shortcut: 'Alt+3' },
  { hash: '#/jobs', title: 'Jobs', shortcut: 'Alt+4' },
  { hash: '#/audit-log', title: 'Audit log', shortcut: 'Alt+5' },
  { hash: '#/settings', title: 'Settings', shortcut: 'Alt+6' },
] as const;

export const PRODUCT_NAME = 'Calendar Sync Migration Console';
