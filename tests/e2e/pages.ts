/**
 * The pages the shell must offer, written out by hand on purpose: the suite checks the registry
 * against this expectation instead of trusting it.
 */
export const CONSOLE_PAGES = [
  { hash: '#/dashboard', title: 'Dashboard', shortcut: 'Alt+1', built: true },
  { hash: '#/users', title: 'Users', shortcut: 'Alt+2', built: true },
  { hash: '#/announcements', title: 'Announcements', shortcut: 'Alt+3', built: true },
  { hash: '#/jobs', title: 'Jobs', shortcut: 'Alt+4', built: true },
  { hash: '#/audit-log', title: 'Audit log', shortcut: 'Alt+5', built: true },
  { hash: '#/settings', title: 'Settings', shortcut: 'Alt+6', built: true },
] as const;

export const PRODUCT_NAME = 'Calendar Sync Migration Console';
