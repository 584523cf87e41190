import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from './disposable.ts';
import { AsyncEmitter, Emitter } from './emitter.ts';

describe('DisposableStore', () => {
  it('disposes newest first, waits for async disposal, and only once', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('store')));
    store.add(
      toDisposable(async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push('worker');
      }),
    );
    await Promise.all([store.dispose(), store.dispose()]);
    expect(order).toEqual(['worker', 'store']);
    expect(store.isDisposed).toBe(true);
  });

  it('runs every disposable when one fails, then reports the failure', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('first')));
    store.add(
      toDisposable(() => {
        throw new Error('boom');
      }),
    );
    await expect(store.dispose()).rejects.toThrow('boom');
    expect(order).toEqual(['first']);
  });

  it('disposes what is added after it was disposed', async () => {
    const store = new DisposableStore();
    await store.dispose();
    let disposed = false;
    store.add(toDisposable(() => void (disposed = true)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(disposed).toBe(true);
  });
});

describe('Emitter', () => {
  it('delivers to subscribers until they unsubscribe; a throwing listener does not stop the rest', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>({ onListenerError: (error) => errors.push(error) });
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('listener');
    });
    const subscription = emitter.event((value) => seen.push(value));
    emitter.fire(1);
    void subscription.dispose();
    emitter.fire(2);
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(2);
  });

  it('AsyncEmitter waits for each listener in order', async () => {
    const emitter = new AsyncEmitter<string>();
    const order: string[] = [];
    emitter.event(async (value) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push(`slow ${value}`);
    });
    emitter.event((value) => void order.push(`fast ${value}`));
    await emitter.fireAsync('x');
    expect(order).toEqual(['slow x', 'fast x']);
  });
});
