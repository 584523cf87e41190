import { MINUTE } from '../university/model-types.ts';
import type { SyncedItem, University } from '../university/index.ts';

export function syncedItemJson(u: University, item: SyncedItem) {
  return {
    itemId: item.itemId,
    kind: item.kind,
    title: item.title,
    start: u.zone.format(item.startMin * MINUTE),
    end: u.zone.format(item.endMin * MINUTE),
    timeZone: u.timezone,
    externalEventId: item.externalEventId,
    iCalUId: item.iCalUId,
    syncedAt: u.zone.format(item.syncedAtMin * MINUTE),
    syncedVia: item.syncedVia,
  };
}
