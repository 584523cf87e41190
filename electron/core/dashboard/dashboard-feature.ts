import type { Feature } from '../feature.ts';
import type { Logger } from '../log/logger.ts';
import type { RosterFeature } from '../roster/roster-feature.ts';
import type { WorkspaceHost } from '../workspace/workspace-host.ts';
import type { WorkspacePart } from '../workspace/workspace.ts';
import type { DataSourceService } from '../data-source/data-source-service.ts';
import { MigrationProgressService } from './migration-progress-service.ts';

export interface DashboardFeatureOptions {
  logger: Logger;
  workspaces: WorkspaceHost;
  dataSource: DataSourceService;
  /** The dashboard records a local snapshot after each of the roster's syncs. */
  roster: RosterFeature;
  /** Days an announcement went out (the announcement feature's record): the chart's markers. */
  announcementDays?: (from: string, to: string) => string[];
  /** Days scheduled reminders go out (the reminder schedule), for the chart's future markers. */
  reminderDays?: (timeZone: string) => string[];
  now?: () => Date;
}

interface DashboardPart extends WorkspacePart {
  readonly progress: MigrationProgressService;
}

/** The dashboard: migration counts, history (platform and local snapshots), forecast and markers. */
export function createDashboardFeature(options: DashboardFeatureOptions): Feature<'dashboard.summary'> {
  const { logger, dataSource, roster } = options;
  const slot = options.workspaces.slot((workspace): DashboardPart => {
    const progress = new MigrationProgressService({
      logger: logger.child({ component: 'progress' }),
      store: workspace.store,
      platform: () => workspace.platform(),
      // Through the data source, so a successful read also marks the source fresh in the status bar.
      migration: () => dataSource.migration(),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.announcementDays === undefined ? {} : { announcementDays: options.announcementDays }),
      ...(options.reminderDays === undefined ? {} : { reminderDays: options.reminderDays }),
    });
    // The roster's part for this workspace is built before this one (slot order).
    const subscription = roster.slot.current.onDidSync((engine) => progress.afterSync(engine));
    return { progress, dispose: () => subscription.dispose() };
  });
  return {
    name: 'dashboard',
    handlers: {
      'dashboard.summary': () => slot.current.progress.summary(),
    },
  };
}
