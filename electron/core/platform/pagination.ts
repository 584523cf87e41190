import type { Page } from '../../../shared/domain/platform.ts';
import { PlatformError } from './errors.ts';

export type PageFetcher<T> = (cursor: string | null, signal: AbortSignal | undefined) => Promise<Page<T>>;

/**
 * Walks a cursor-paged list page by page. Cursors are opaque and passed back verbatim; a
 * platform that hands back a cursor it already gave (a loop) is stopped rather than followed
 * forever.
 */
export async function* pages<T>(
  fetchPage: PageFetcher<T>,
  signal?: AbortSignal,
  resource = 'list',
): AsyncGenerator<Page<T>, void, undefined> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (;;) {
    throwIfCancelled(signal, resource);
    const page = await fetchPage(cursor, signal);
    yield page;
    if (page.nextCursor === null) return;
    if (seen.has(page.nextCursor)) throw cursorLoop(resource);
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

/** Every item of every page, fetched lazily: stop iterating and no further page is requested. */
export async function* items<T>(
  fetchPage: PageFetcher<T>,
  signal?: AbortSignal,
  resource?: string,
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages(fetchPage, signal, resource)) yield* page.items;
}

/** Like PageFetcher, plus a callback the fetch calls with the reply's next cursor once it can read it. */
export type PeekingPageFetcher<T> = (
  cursor: string | null,
  signal: AbortSignal,
  onNextCursor: (cursor: string | null) => void,
) => Promise<Page<T>>;

interface Flight<T> {
  cursor: string | null;
  controller: AbortController;
  result: Promise<Page<T>>;
  /** The next cursor as read from the reply's text (undefined until then, or if it could not be read). */
  peeked: string | null | undefined;
  /** Position in the walk (0 = first page). */
  index: number;
  /** The request for the page after this one, made from the peeked cursor; null until then. */
  next: Flight<T> | null;
}

/**
 * The same pages as `pages`, with one request kept ahead: the next page is asked for as soon as
 * the fetch can tell its cursor (before this page is parsed, checked and handed on), so a walk
 * costs about one round trip a page rather than round trip + processing. Never more than one page
 * ahead of the caller: a caller slower than the network holds the walk back. A request made with
 * a cursor the checked page does not confirm is cancelled and the confirmed one made instead;
 * stopping the walk (return, throw, abort) cancels whatever is still in flight.
 */
export async function* pagesAhead<T>(
  fetchPage: PeekingPageFetcher<T>,
  signal?: AbortSignal,
  resource = 'list',
  depth = 1,
): AsyncGenerator<Page<T>, void, undefined> {
  const seen = new Set<string>();
  /** Index of the page the caller is waiting for (or will ask for next). */
  let wanted = 0;
  const launchNext = (flight: Flight<T>) => {
    const peeked = flight.peeked;
    if (flight.index >= wanted + depth || flight.next !== null || peeked === undefined || peeked === null)
      return;
    if (peeked === flight.cursor || seen.has(peeked) || flight.controller.signal.aborted) return;
    flight.next = launch(peeked, flight.index + 1);
    launchNext(flight.next);
  };
  const launch = (cursor: string | null, index: number): Flight<T> => {
    const controller = new AbortController();
    const flight: Flight<T> = {
      cursor,
      controller,
      result: Promise.resolve({ items: [], nextCursor: null }),
      peeked: undefined,
      index,
      next: null,
    };
    const combined = signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
    flight.result = fetchPage(cursor, combined, (peeked) => {
      flight.peeked = peeked;
      launchNext(flight);
    });
    // A request made ahead may fail before anyone awaits it: its rejection surfaces when awaited.
    flight.result.catch(() => undefined);
    return flight;
  };
  const cancel = (flight: Flight<T> | null) => {
    for (let f = flight; f !== null; f = f.next) f.controller.abort();
  };
  let flight: Flight<T> | null = null;
  try {
    throwIfCancelled(signal, resource);
    flight = launch(null, 0);
    for (;;) {
      wanted = flight.index;
      // The caller moved on: the last request in flight may now start the one after it.
      let last = flight;
      while (last.next !== null) last = last.next;
      launchNext(last);
      const page: Page<T> = await flight.result;
      const cursor = page.nextCursor;
      let next: Flight<T> | null = flight.next;
      if (next !== null && next.cursor !== cursor) {
        cancel(next);
        next = null;
      }
      if (cursor === null) {
        flight = null;
        yield page;
        return;
      }
      if (seen.has(cursor)) {
        cancel(next);
        throw cursorLoop(resource);
      }
      seen.add(cursor);
      flight = next ?? launch(cursor, flight.index + 1);
      yield page;
      throwIfCancelled(signal, resource);
    }
  } finally {
    cancel(flight);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined, resource: string): void {
  if (signal?.aborted) {
    throw new PlatformError(`Listing ${resource} was cancelled.`, {
      code: 'cancelled',
      status: null,
      title: 'Cancelled',
      retryable: false,
      cause: signal.reason,
    });
  }
}

function cursorLoop(resource: string): PlatformError {
  return new PlatformError(
    `The platform returned the same page cursor twice while listing ${resource}; the walk was stopped.`,
    { code: 'bad_reply', status: 200, title: 'Cursor loop', retryable: false },
  );
}
