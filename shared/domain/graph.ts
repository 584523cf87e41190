import { z } from 'zod';

/**
 * The parts of Microsoft Graph v1.0 resources the console reads. Objects are loose: Graph sends
 * many more properties (and adds new ones), and the console must not break on them.
 */

const DateTimeTimeZone = z.looseObject({ dateTime: z.string().min(1), timeZone: z.string() });
export type DateTimeTimeZone = z.infer<typeof DateTimeTimeZone>;

export const GraphUser = z.looseObject({
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullable().optional(),
});
export type GraphUser = z.infer<typeof GraphUser>;

export const GraphCalendar = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  owner: z.looseObject({ name: z.string().optional(), address: z.string().optional() }).nullable().optional(),
});
export type GraphCalendar = z.infer<typeof GraphCalendar>;

export const GraphEvent = z.looseObject({
  id: z.string().min(1),
  iCalUId: z.string().nullable().optional(),
  subject: z.string().nullable().optional(),
  start: DateTimeTimeZone.nullable().optional(),
  end: DateTimeTimeZone.nullable().optional(),
  isCancelled: z.boolean().optional(),
  type: z.string().optional(),
  lastModifiedDateTime: z.string().optional(),
});
export type GraphEvent = z.infer<typeof GraphEvent>;

export const GraphMessage = z.looseObject({
  id: z.string().min(1),
  subject: z.string().nullable().optional(),
});
export type GraphMessage = z.infer<typeof GraphMessage>;

export function graphCollection<T extends z.ZodType>(item: T) {
  return z.looseObject({ value: z.array(item), '@odata.nextLink': z.string().min(1).optional() });
}

export const ExchangeIdType = z.enum([
  'entryId',
  'ewsId',
  'immutableEntryId',
  'restId',
  'restImmutableEntryId',
]);
export type ExchangeIdType = z.infer<typeof ExchangeIdType>;

export const ConvertedId = z.looseObject({
  sourceId: z.string(),
  targetId: z.string().optional(),
  errorDetails: z
    .looseObject({ code: z.string().optional(), message: z.string().optional() })
    .nullable()
    .optional(),
});
export type ConvertedId = z.infer<typeof ConvertedId>;

export const BatchInnerResponse = z.looseObject({
  id: z.string().min(1),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});
export type BatchInnerResponse = z.infer<typeof BatchInnerResponse>;

export const BatchResponse = z.looseObject({ responses: z.array(BatchInnerResponse) });
export type BatchResponse = z.infer<typeof BatchResponse>;

/** Graph's error body (concepts/errors.md). */
export const GraphErrorBody = z.looseObject({
  error: z.looseObject({
    code: z.string().optional(),
    message: z.string().optional(),
    innerError: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof GraphErrorBody>;
