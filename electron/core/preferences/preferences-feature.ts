import type { Feature } from '../feature.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { PreferencesService } from './preferences-service.ts';

/** The operator's UI preferences (theme, navigation); every window follows a change. */
export function createPreferencesFeature(options: {
  preferences: PreferencesService;
  events: EventBus;
}): Feature<'preferences.get' | 'preferences.set'> {
  const { preferences, events } = options;
  return {
    name: 'preferences',
    handlers: {
      'preferences.get': () => preferences.get(),
      'preferences.set': (change) => {
        const next = preferences.set(change);
        events.emit('preferences.changed', next);
        return next;
      },
    },
  };
}
