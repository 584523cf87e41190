import type { CliCore } from '../cli-core.ts';

/**
 * The platform's time zone, in which the console writes every time (the same rule as the app);
 * null when the platform cannot say, and the caller then writes the instant as it is.
 */
export async function platformZone(core: Pick<CliCore, 'call'>): Promise<string | null> {
  try {
    return (await core.call('migration.overview', {})).timezone;
  } catch {
    return null;
  }
}
