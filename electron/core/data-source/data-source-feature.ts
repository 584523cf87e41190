import type { Feature } from '../feature.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { DataSourceService } from './data-source-service.ts';

/**
 * The data source as the UI sees it: the migration summary, a manual refresh, and its state in
 * the status bar (`app.dataSource` events). Connecting starts in the background at `start`.
 */
export function createDataSourceFeature(options: {
  dataSource: DataSourceService;
  events: EventBus;
}): Feature<'migration.overview' | 'dataSource.refresh'> {
  const { dataSource, events } = options;
  const forwarding = dataSource.onDidChangeState((state) => events.emit('app.dataSource', state));
  return {
    name: 'data-source',
    handlers: {
      'migration.overview': () => dataSource.migration(),
      'dataSource.refresh': () => dataSource.refresh(),
    },
    // The window opens at once; the status bar follows the connection's state.
    start: () => void dataSource.connect(),
    // The service itself is the composition root's to dispose: the workspace goes before it.
    dispose: () => forwarding.dispose(),
  };
}
