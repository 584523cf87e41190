import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateOpenApiTypes, OPENAPI_TYPES } from './generate-openapi-types.ts';

// That the generated types agree with the zod schemas is a type test: openapi.test-d.ts.

describe('openapi.d.ts', () => {
  it('is what `npm run gen:openapi` produces from docs/openapi/platform-api.yaml', async () => {
    const committed = await readFile(OPENAPI_TYPES, 'utf8');
    const fresh = await generateOpenApiTypes();
    // A failure here means: run `npm run gen:openapi` and commit the result.
    expect(committed).toBe(fresh);
  });
});
