import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type * as domain from '../../../shared/domain/platform.ts';
import { generateOpenApiTypes, OPENAPI_TYPES } from './generate-openapi-types.ts';
import type { components } from './openapi.d.ts';

type Schemas = components['schemas'];
/** Compile-time check (tsc runs over tests): the zod schemas and the OpenAPI document describe the same shapes. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertType<T extends true>(_proof: T): void {}

describe('openapi.d.ts', () => {
  it('is what `npm run gen:openapi` produces from docs/openapi/platform-api.yaml', async () => {
    const committed = await readFile(OPENAPI_TYPES, 'utf8');
    const fresh = await generateOpenApiTypes();
    // A failure here means: run `npm run gen:openapi` and commit the result.
    expect(committed).toBe(fresh);
  });

  it('agrees with the zod schemas in shared/domain', () => {
    assertType<Same<Schemas['ConnectionStatus'], domain.ConnectionStatus>>(true);
    assertType<Same<Schemas['Role'], domain.Role>>(true);
    assertType<Same<Schemas['ConnectionErrorCode'], domain.ConnectionErrorCode>>(true);
    assertType<Same<Schemas['Connection'], z.input<typeof domain.Connection>>>(true);
    assertType<Same<Schemas['SyncedItem'], z.input<typeof domain.SyncedItem>>>(true);
    assertType<Same<Schemas['ResyncResult'], domain.ResyncResult>>(true);
    assertType<Same<Schemas['MagicLinkRequest'], domain.MagicLinkRequest>>(true);
    assertType<Same<Schemas['MagicLinkBatchRequest'], domain.MagicLinkBatchRequest>>(true);
    expect(true).toBe(true);
  });
});
