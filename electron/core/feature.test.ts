import { describe, expect, it } from 'vitest';
import { checkDistinctMethods, type Feature } from './feature.ts';

describe('checkDistinctMethods', () => {
  it('refuses two features answering the same method, naming both', () => {
    const a: Feature<'app.info'> = {
      name: 'app',
      handlers: {
        'app.info': () => ({
          productName: 'x',
          version: '1',
          host: 'cli',
          dataSource: { kind: 'none', label: 'x', lastRefreshedAt: null, state: 'offline', detail: null },
        }),
      },
    };
    const b: Feature<'app.info'> = { ...a, name: 'impostor' };
    expect(() => checkDistinctMethods([a])).not.toThrow();
    expect(() => checkDistinctMethods([a, b])).toThrow('Both app and impostor answer app.info');
  });
});
