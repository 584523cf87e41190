import { describe, expect, it } from 'vitest';
import type { Page } from '../../../shared/domain/platform.ts';
import { PlatformError } from './errors.ts';
import { pagesAhead, type PeekingPageFetcher } from './pagination.ts';

interface Call {
  cursor: string | null;
  signal: AbortSignal;
  reply(page: Page<number>, peeked?: string | null): void;
  fail(error: Error): void;
}

/** A fetcher whose replies the test hands out one by one, recording every request made. */
function scripted() {
  const calls: Call[] = [];
  const waiters: Array<() => void> = [];
  const fetcher: PeekingPageFetcher<number> = (cursor, signal, onNextCursor) =>
    new Promise<Page<number>>((resolve, reject) => {
      calls.push({
        cursor,
        signal,
        reply: (page, peeked = page.nextCursor) => {
          onNextCursor(peeked);
          resolve(page);
        },
        fail: reject,
      });
      for (const wake of waiters.splice(0)) wake();
    });
  const call = async (n: number): Promise<Call> => {
    while (calls.length <= n) await new Promise<void>((resolve) => waiters.push(resolve));
    return calls[n] as Call;
  };
  return { fetcher, calls, call };
}

describe('pagesAhead', () => {
  it('asks for the next page as soon as the cursor shows, before the caller has this one', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher);
    const first = walk.next();
    (await call(0)).reply({ items: [1], nextCursor: 'c1' });
    // The request for page 2 is out before the caller even looks at page 1.
    expect(calls.map((c) => c.cursor)).toEqual([null, 'c1']);
    expect((await first).value).toEqual({ items: [1], nextCursor: 'c1' });
    const second = walk.next();
    (await call(1)).reply({ items: [2], nextCursor: null });
    expect((await second).value).toEqual({ items: [2], nextCursor: null });
    expect((await walk.next()).done).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('runs at most one page ahead of a caller slower than the network', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher);
    const first = walk.next();
    (await call(0)).reply({ items: [1], nextCursor: 'c1' });
    await first;
    // Page 2 arrives while the caller still holds page 1: page 3 waits for the caller.
    (await call(1)).reply({ items: [2], nextCursor: 'c2' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls.map((c) => c.cursor)).toEqual([null, 'c1']);
    expect((await walk.next()).value?.items).toEqual([2]);
    expect(calls.map((c) => c.cursor)).toEqual([null, 'c1', 'c2']);
  });

  it('runs up to `depth` pages ahead when asked to', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher, undefined, 'list', 2);
    const first = walk.next();
    (await call(0)).reply({ items: [1], nextCursor: 'c1' });
    await first;
    (await call(1)).reply({ items: [2], nextCursor: 'c2' });
    (await call(2)).reply({ items: [3], nextCursor: 'c3' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls.map((c) => c.cursor)).toEqual([null, 'c1', 'c2']);
  });

  it('cancels a request made with a cursor the checked page does not confirm, and asks again', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher);
    const first = walk.next();
    (await call(0)).reply({ items: [1], nextCursor: 'real' }, 'misread');
    await first;
    expect(calls[1]?.cursor).toBe('misread');
    expect(calls[1]?.signal.aborted).toBe(true);
    const second = walk.next();
    const retry = await call(2);
    expect(retry.cursor).toBe('real');
    retry.reply({ items: [2], nextCursor: null });
    expect((await second).value?.items).toEqual([2]);
  });

  it('waits for the parsed page when the cursor could not be peeked', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher);
    const first = walk.next();
    const c0 = await call(0);
    c0.reply({ items: [1], nextCursor: 'c1' }, undefined as unknown as null);
    await first;
    expect(calls.map((c) => c.cursor)).toEqual([null, 'c1']);
  });

  it('stops a cursor loop and cancels what it had asked for ahead', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher, undefined, 'connections');
    const first = walk.next();
    (await call(0)).reply({ items: [], nextCursor: 'a' });
    await first;
    const second = walk.next();
    (await call(1)).reply({ items: [], nextCursor: 'b' });
    await second;
    const third = walk.next();
    (await call(2)).reply({ items: [], nextCursor: 'a' }, 'a');
    const error = await third.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).title).toBe('Cursor loop');
    expect(calls.map((c) => c.cursor)).toEqual([null, 'a', 'b']);
  });

  it('cancels the request in flight when the caller stops early', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher);
    const first = walk.next();
    (await call(0)).reply({ items: [1], nextCursor: 'c1' });
    expect((await first).value?.items).toEqual([1]);
    expect(calls[1]?.signal.aborted).toBe(false);
    await walk.return(undefined);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.signal.aborted).toBe(true);
  });

  it('passes a failure of the page asked for on, and a request made ahead that fails unawaited is not unhandled', async () => {
    const { fetcher, calls, call } = scripted();
    const walk = pagesAhead(fetcher);
    const first = walk.next();
    const c0 = await call(0);
    c0.reply({ items: [1], nextCursor: 'c1' });
    (await call(1)).fail(new Error('network down'));
    await first;
    await expect(walk.next()).rejects.toThrow('network down');
    expect(calls).toHaveLength(2);
  });

  it('honours the caller signal: an aborted walk reports cancelled and aborts its requests', async () => {
    const { fetcher, calls, call } = scripted();
    const controller = new AbortController();
    const walk = pagesAhead(fetcher, controller.signal, 'connections');
    const first = walk.next();
    (await call(0)).reply({ items: [1], nextCursor: 'c1' });
    await first;
    controller.abort();
    expect(calls[1]?.signal.aborted).toBe(true);
    const error = await walk.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as PlatformError).code).toBe('cancelled');
  });
});
