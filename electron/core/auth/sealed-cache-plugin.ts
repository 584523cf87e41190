import type { ICachePlugin } from '@azure/msal-node';
import type { SecretVault } from './secret-vault.ts';

export const TOKEN_CACHE_SECRET = 'msal.tokenCache';
export const TOKEN_CACHE_IDENTITY_SECRET = 'msal.identity';

/**
 * MSAL's token cache, kept in the secret vault: sealed on disk when the host can protect a key,
 * in memory only otherwise. MSAL reads before and writes after every cache access, as its
 * persistence extensions do; only changed caches are written.
 */
export function createSealedCachePlugin(vault: SecretVault): ICachePlugin {
  return {
    beforeCacheAccess: async (context) => {
      const serialized = vault.get(TOKEN_CACHE_SECRET);
      if (serialized !== null) context.tokenCache.deserialize(serialized);
    },
    afterCacheAccess: async (context) => {
      if (context.cacheHasChanged) vault.set(TOKEN_CACHE_SECRET, context.tokenCache.serialize());
    },
  };
}
