import { encodeEventId } from './event-ids.ts';
import { ANOMALY_CLASSES, DAY_MIN, S_MIGRATED, type AnomalyClass } from './model-types.ts';
import { hash3, pick, Salt, stream, unit } from './prng.ts';
import type { ModelCalendar, UserPlan } from './plan.ts';

/**
 * What the platform placed on a user's calendar, plus the planted verification anomalies. Items
 * are regenerated from (seed, index) on every call; nothing is stored.
 */
export interface SyncedItem {
  serial: number;
  itemId: string;
  kind: 'event' | 'appointment' | 'interview';
  title: string;
  startMin: number;
  endMin: number;
  externalEventId: string;
  iCalUId: string;
  syncedAtMin: number;
  syncedVia: 'outlook_rest_v2' | 'graph';
  anomaly: AnomalyClass | null;
}

const EMPLOYERS = [
  'Acme Robotics',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Industries',
  'Wayne Foundation',
  'Hooli',
  'Soylent Foods',
  'Cyberdyne',
  'Vandelay Industries',
  'Oceanic Air',
  'Tyrell Biotech',
];
const POSITIONS = [
  'Software Engineer Intern',
  'Data Analyst',
  'Marketing Associate',
  'Research Assistant',
  'Product Manager',
  'Consultant',
  'Financial Analyst',
  'Nurse Resident',
];
const EVENTS = [
  'Career Fair: STEM',
  'Résumé Workshop',
  'Networking Night',
  'Employer Info Session',
  'Grad School Panel',
  'LinkedIn Photo Booth',
  'Mock Interview Day',
  'Alumni Mixer',
];
const APPOINTMENTS = [
  'Career advising',
  'Résumé review',
  'Internship search strategy',
  'Offer negotiation',
  'Major exploration',
];
const DURATIONS = [30, 45, 60, 90, 120];

/** Share of users with items who carry planted anomalies. */
const ANOMALY_USER_SHARE = 0.02;

export function anomalyUser(seed: number, plan: UserPlan): boolean {
  return plan.itemCount > 0 && unit(seed, plan.index, Salt.anomaly) < ANOMALY_USER_SHARE;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0').toUpperCase();
}

/** iCalUId in the shape Exchange uses (the 040000008200E00074C5B7101A82E008 class id + a per-item GUID). */
function iCalUIdOf(seed: number, index: number, serial: number): string {
  const h = (k: number) => hex8(hash3(seed, index * 64 + serial, 0x1ca1 + k));
  return `040000008200E00074C5B7101A82E00800000000${h(0)}${h(1)}0000000000000000100000${h(2).slice(2)}${h(3)}${h(4)}${h(5)}`;
}

/** The Graph re-authorization in the user's planned past, if any (items synced after it went via Graph). */
function pastGraphReauthMin(plan: UserPlan, startMin: number): number | null {
  for (let i = 0; i < plan.at.length; i++) {
    if (plan.statuses[i] === S_MIGRATED && (plan.at[i] ?? 0) < startMin) return plan.at[i] ?? null;
  }
  return null;
}

export function syncedItemsOf(cal: ModelCalendar, plan: UserPlan): SyncedItem[] {
  const n = plan.itemCount;
  if (n === 0 || plan.legacyConnectMin === null) return [];
  const seed = cal.seed;
  const r = stream(hash3(seed, plan.index, Salt.items));
  const graphSince = pastGraphReauthMin(plan, cal.startMin);
  const anomalies = new Map<number, AnomalyClass>();
  if (anomalyUser(seed, plan)) {
    const howMany = 1 + Math.floor(unit(seed, plan.index, Salt.anomaly + 1) * Math.min(3, n));
    for (let k = 0; k < howMany; k++) {
      const serial = hash3(seed, plan.index, Salt.anomaly + 10 + k) % n;
      const cls = hash3(seed, plan.index, Salt.anomaly + 20 + k) % ANOMALY_CLASSES.length;
      anomalies.set(serial, ANOMALY_CLASSES[cls] ?? 'missing');
    }
  }
  const items: SyncedItem[] = [];
  for (let serial = 0; serial < n; serial++) {
    const kindDraw = r();
    const kind = kindDraw < 0.5 ? 'event' : kindDraw < 0.8 ? 'appointment' : 'interview';
    const title =
      kind === 'interview'
        ? `Interview: ${pick(EMPLOYERS, r())} — ${pick(POSITIONS, r())}`
        : kind === 'appointment'
          ? `${pick(APPOINTMENTS, r())} appointment`
          : pick(EVENTS, r());
    // Quarter-hour starts from 60 days back to 60 days ahead of the sandbox start.
    const startMin = cal.startMin - 60 * DAY_MIN + Math.floor(r() * 120 * 96) * 15;
    const endMin = startMin + pick(DURATIONS, r());
    const leadMin = Math.floor((1 + r() * 20) * DAY_MIN);
    const syncedAtMin = Math.max(
      plan.legacyConnectMin + 1,
      Math.min(startMin - leadMin, cal.startMin - 5 - serial),
    );
    const syncedVia = graphSince !== null && syncedAtMin >= graphSince ? 'graph' : 'outlook_rest_v2';
    let anomaly = anomalies.get(serial) ?? null;
    // A legacy-form id can only have been stored by a legacy sync.
    if (anomaly === 'legacy_id' && syncedVia === 'graph') anomaly = 'missing';
    const key = { mailbox: plan.index, serial, generation: 0 };
    items.push({
      serial,
      itemId: `itm_${hex8(hash3(seed, plan.index, 0x17e + serial)).toLowerCase()}${serial.toString(16).padStart(2, '0')}`,
      kind,
      title,
      startMin,
      endMin,
      externalEventId: encodeEventId(seed, anomaly === 'legacy_id' ? 'legacyRestV2' : 'restId', key),
      iCalUId: iCalUIdOf(seed, plan.index, serial),
      syncedAtMin,
      syncedVia,
      anomaly,
    });
  }
  return items;
}

export { iCalUIdOf };

/** How a `mismatch` item's event differs from what the platform stored: a moved start or a new title. */
export interface PlantedMismatch {
  /** Minutes the event (start and end) moved: ±30, ±60 or ±1440; 0 when the title changed instead. */
  shiftMin: number;
  /** The event's title when it was changed, else null. */
  title: string | null;
}

const MISMATCH_SHIFTS = [30, -30, 60, -60, DAY_MIN, -DAY_MIN] as const;

export function plantedMismatch(seed: number, index: number, item: SyncedItem): PlantedMismatch {
  const draw = hash3(seed, index * 64 + item.serial, 0x3157) % (MISMATCH_SHIFTS.length + 1);
  const shiftMin = MISMATCH_SHIFTS[draw];
  if (shiftMin !== undefined) return { shiftMin, title: null };
  return { shiftMin: 0, title: `${item.title} (changed in Outlook)` };
}
