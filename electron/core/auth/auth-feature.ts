import type { Feature } from '../feature.ts';
import type { Logger } from '../log/logger.ts';
import type { AuthService } from './auth-service.ts';

/** Sign-in of the operator (Entra ID via MSAL); a remembered operator is restored silently at start. */
export function createAuthFeature(options: {
  auth: AuthService;
  logger: Logger;
}): Feature<'auth.status' | 'auth.signIn' | 'auth.cancel' | 'auth.signOut'> {
  const { auth, logger } = options;
  return {
    name: 'auth',
    handlers: {
      'auth.status': () => auth.status(),
      'auth.signIn': ({ flow, user }) => auth.signIn(flow, user),
      'auth.cancel': () => auth.cancel(),
      'auth.signOut': () => auth.signOut(),
    },
    start: () =>
      void auth.restore().catch((error: unknown) =>
        logger.warn('sign-in restore failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
    dispose: () => auth.dispose(),
  };
}
