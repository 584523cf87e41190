import type { FluentIcon } from '@fluentui/react-icons';
import type { ComponentType } from 'react';
import type { RouteTarget } from '../app/routing.ts';

/**
 * One entry per page. The navigation, hash routes, Alt+N shortcuts (by position), document title
 * and the heading all come from here, so a feature adds its page with one entry in registry.ts.
 */
export interface PageDefinition extends RouteTarget {
  /** Stable id, also used for test ids (`nav-users`). */
  id: string;
  path: `/${string}`;
  /** The h1 and the document title. */
  title: string;
  /** One sentence under the h1: what the page is for. */
  summary: string;
  /** The navigation label; usually the title. */
  navLabel: string;
  icon: FluentIcon;
  iconSelected: FluentIcon;
  Component: ComponentType;
}
