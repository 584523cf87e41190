import {
  Board20Filled,
  Board20Regular,
  History20Filled,
  History20Regular,
  Megaphone20Filled,
  Megaphone20Regular,
  People20Filled,
  People20Regular,
  Settings20Filled,
  Settings20Regular,
  TaskListLtr20Filled,
  TaskListLtr20Regular,
} from '@fluentui/react-icons';
import { AnnouncementsPage } from './announcements/AnnouncementsPage.tsx';
import { AuditPage } from './audit/AuditPage.tsx';
import { DashboardPage } from './dashboard/DashboardPage.tsx';
import { JobsPage } from './jobs/JobsPage.tsx';
import type { PageDefinition } from './page-definition.ts';
import { SettingsPage } from './SettingsPage.tsx';
import { UsersPage } from './users/UsersPage.tsx';

/**
 * The console's pages in navigation order. The first is the start page; positions 1–9 get the
 * Alt+N shortcuts, so append new pages before Settings only if renumbering is intended.
 */
export const PAGES: readonly PageDefinition[] = [
  {
    id: 'dashboard',
    summary: 'How far the move from Outlook REST v2.0 to Microsoft Graph has come, at a glance.',
    path: '/dashboard',
    title: 'Dashboard',
    navLabel: 'Dashboard',
    icon: Board20Regular,
    iconSelected: Board20Filled,
    Component: DashboardPage,
  },
  {
    id: 'users',
    summary:
      'Every Student, Alumni and Career Center user with a calendar connection, and where each one stands.',
    path: '/users',
    title: 'Users',
    navLabel: 'Users',
    icon: People20Regular,
    iconSelected: People20Filled,
    Component: UsersPage,
  },
  {
    id: 'announcements',
    summary: 'The emails that ask users to disconnect and re-authorize their calendar sync.',
    path: '/announcements',
    title: 'Announcements',
    navLabel: 'Announcements',
    icon: Megaphone20Regular,
    iconSelected: Megaphone20Filled,
    Component: AnnouncementsPage,
  },
  {
    id: 'jobs',
    summary:
      'Long-running work such as bulk force-disconnects: progress, pause, resume, and each user’s outcome.',
    path: '/jobs',
    title: 'Jobs',
    navLabel: 'Jobs',
    icon: TaskListLtr20Regular,
    iconSelected: TaskListLtr20Filled,
    Component: JobsPage,
  },
  {
    id: 'audit-log',
    summary: 'Who did what in this console, and when.',
    path: '/audit-log',
    title: 'Audit log',
    navLabel: 'Audit log',
    icon: History20Regular,
    iconSelected: History20Filled,
    Component: AuditPage,
  },
  {
    id: 'settings',
    summary: 'How this console looks on your computer, and what it is connected to.',
    path: '/settings',
    title: 'Settings',
    navLabel: 'Settings',
    icon: Settings20Regular,
    iconSelected: Settings20Filled,
    Component: SettingsPage,
  },
];

/** "Alt+3" for the third page, null past the ninth. */
export function shortcutLabel(index: number): string | null {
  return index >= 0 && index < 9 ? `Alt+${index + 1}` : null;
}
