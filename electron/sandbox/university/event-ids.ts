import { hash3 } from './prng.ts';

/**
 * The sandbox's Exchange item id scheme (documented in docs/sandbox.md). Every id is a prefix
 * that looks like its real-world counterpart plus base64 of a 16-byte payload:
 *
 *   tag(1) | mailbox index(4, BE) | item serial(2, BE) | folder generation(1) | reserved(4) | check(4)
 *
 * `folder generation` counts moves between folders: it is part of the location-bound formats
 * (restId, ewsId, entryId, legacy v2 id) and zero in the immutable formats, which is why a moved
 * event gets a new restId while its immutable ids stay the same. `check` is a seed-keyed hash of
 * the other bytes, so a mistyped or foreign id decodes to null instead of another event.
 *
 * The legacy Outlook REST v2.0 form (`AQMk…`, tag 6) is what the platform stored for some items
 * synced before the migration: Graph does not accept it for GET (404), but translateExchangeIds
 * accepts it as a `restId` source and converts it like any restId.
 */
export const ID_TYPES = ['restId', 'restImmutableEntryId', 'ewsId', 'entryId', 'immutableEntryId'] as const;
export type ExchangeIdType = (typeof ID_TYPES)[number];
export type IdForm = ExchangeIdType | 'legacyRestV2';

interface FormSpec {
  tag: number;
  prefix: string;
  urlSafe: boolean;
  locationBound: boolean;
}

const FORMS: Record<IdForm, FormSpec> = {
  restId: { tag: 1, prefix: 'AAMkA', urlSafe: true, locationBound: true },
  restImmutableEntryId: { tag: 2, prefix: 'AAkALg', urlSafe: true, locationBound: false },
  ewsId: { tag: 3, prefix: 'AAMkA', urlSafe: false, locationBound: true },
  entryId: { tag: 4, prefix: 'AAAAA', urlSafe: false, locationBound: true },
  immutableEntryId: { tag: 5, prefix: 'AAAAA', urlSafe: false, locationBound: false },
  legacyRestV2: { tag: 6, prefix: 'AQMkA', urlSafe: true, locationBound: true },
};

const FORM_BY_TAG = new Map<number, IdForm>(
  Object.entries(FORMS).map(([form, spec]) => [spec.tag, form as IdForm]),
);

export interface EventKey {
  mailbox: number;
  serial: number;
  /** Folder generation; 0 unless the event was moved. Always 0 for immutable forms. */
  generation: number;
}

export interface DecodedId extends EventKey {
  form: IdForm;
}

export function isLocationBound(form: IdForm): boolean {
  return FORMS[form].locationBound;
}

export function encodeEventId(seed: number, form: IdForm, key: EventKey): string {
  const spec = FORMS[form];
  const bytes = Buffer.alloc(16);
  bytes.writeUInt8(spec.tag, 0);
  bytes.writeUInt32BE(key.mailbox >>> 0, 1);
  bytes.writeUInt16BE(key.serial & 0xffff, 5);
  bytes.writeUInt8(spec.locationBound ? key.generation & 0xff : 0, 7);
  bytes.writeUInt32BE(hash3(seed, key.mailbox, 0x5eed) >>> 0, 8);
  bytes.writeUInt32BE(checkOf(seed, bytes), 12);
  return spec.prefix + bytes.toString(spec.urlSafe ? 'base64url' : 'base64');
}

function checkOf(seed: number, bytes: Buffer): number {
  return hash3(seed, bytes.readUInt32BE(0) ^ bytes.readUInt32BE(4), bytes.readUInt32BE(8)) >>> 0;
}

/** Decodes any id of the scheme; null when it is not one of ours (or was altered). */
export function decodeEventId(seed: number, id: string): DecodedId | null {
  for (const spec of new Set(Object.values(FORMS).map((f) => f.prefix))) {
    if (!id.startsWith(spec)) continue;
    const body = id.slice(spec.length);
    const bytes = /^[A-Za-z0-9_-]+$/.test(body)
      ? Buffer.from(body, 'base64url')
      : /^[A-Za-z0-9+/]+={0,2}$/.test(body)
        ? Buffer.from(body, 'base64')
        : null;
    if (!bytes || bytes.length !== 16) continue;
    const form = FORM_BY_TAG.get(bytes.readUInt8(0));
    if (!form) continue;
    const key = {
      mailbox: bytes.readUInt32BE(1),
      serial: bytes.readUInt16BE(5),
      generation: bytes.readUInt8(7),
    };
    // Re-encoding compares prefix, alphabet and check bytes in one go.
    if (encodeEventId(seed, form, key) !== id) continue;
    return { form, ...key };
  }
  return null;
}
