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
    if (signal?.aborted) {
      throw new PlatformError(`Listing ${resource} was cancelled.`, {
        code: 'cancelled',
        status: null,
        title: 'Cancelled',
        retryable: false,
        cause: signal.reason,
      });
    }
    const page = await fetchPage(cursor, signal);
    yield page;
    if (page.nextCursor === null) return;
    if (seen.has(page.nextCursor)) {
      throw new PlatformError(
        `The platform returned the same page cursor twice while listing ${resource}; the walk was stopped.`,
        {
          code: 'bad_reply',
          status: 200,
          title: 'Cursor loop',
          retryable: false,
        },
      );
    }
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
