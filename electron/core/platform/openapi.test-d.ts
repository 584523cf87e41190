import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as domain from '../../../shared/domain/platform.ts';
import type { components } from './openapi.d.ts';

type Schemas = components['schemas'];

// Type tests: vitest's typecheck mode (vitest.config.ts, `typecheck`) runs tsc over this file as part of
// `npm run test:unit`, and a shape that differs fails here as a test, not only under `npm run typecheck`.
describe('openapi.d.ts agrees with the zod schemas in shared/domain', () => {
  it('enumerations', () => {
    expectTypeOf<Schemas['ConnectionStatus']>().toEqualTypeOf<domain.ConnectionStatus>();
    expectTypeOf<Schemas['Role']>().toEqualTypeOf<domain.Role>();
    expectTypeOf<Schemas['ConnectionErrorCode']>().toEqualTypeOf<domain.ConnectionErrorCode>();
  });

  it('objects', () => {
    expectTypeOf<Schemas['Connection']>().toEqualTypeOf<z.input<typeof domain.Connection>>();
    expectTypeOf<Schemas['SyncedItem']>().toEqualTypeOf<z.input<typeof domain.SyncedItem>>();
    expectTypeOf<Schemas['ResyncResult']>().toEqualTypeOf<domain.ResyncResult>();
    expectTypeOf<Schemas['MagicLinkRequest']>().toEqualTypeOf<domain.MagicLinkRequest>();
    expectTypeOf<Schemas['MagicLinkBatchRequest']>().toEqualTypeOf<domain.MagicLinkBatchRequest>();
  });
});
