import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { SecretVault } from '../auth/secret-vault.ts';
import { CONSOLE_DATA_KEY_ENV, EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import { DataSourceService } from '../data-source/data-source-service.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { createMemoryStore, type KeyValueStore } from '../preferences/preferences-service.ts';
import { SettingsService } from './settings-service.ts';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const C1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const C2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const director = { id: 'dir', role: 'director' } as const;
const signedOut = { id: 'signed-out', role: 'viewer' } as const;
const PLATFORM = { platformUrl: 'https://careers.example.edu', apiKey: 'key-of-the-director-1234' };

function settingsOn(store: KeyValueStore, dataKey: string) {
  const logger = createMemoryLogger();
  const vault = new SecretVault({
    store,
    keyWrapper: new EnvKeyWrapper({ [CONSOLE_DATA_KEY_ENV]: dataKey }),
    logger,
  });
  const onPlatformChanged = vi.fn(async () => undefined);
  const settings = new SettingsService({
    store,
    vault,
    logger,
    events: new EventBus(logger),
    onPlatformChanged,
    onSignInChanged: async () => undefined,
    checkPlatform: async () => undefined,
  });
  return { settings, logger, onPlatformChanged };
}

describe('the saved platform key is bound to the sign-in registration', () => {
  it('first run: anyone may set up sign-in while no key is saved', async () => {
    const { settings } = settingsOn(createMemoryStore(), randomBytes(32).toString('base64'));
    await settings.setSignIn({ authority: T1, clientId: C1 }, signedOut);
    expect(settings.signInConfig()).toMatchObject({ authority: T1, clientId: C1 });
  });

  it('a non-director pointing sign-in elsewhere makes the key unusable; a director of the new registration restores it', async () => {
    const store = createMemoryStore();
    const dataKey = randomBytes(32).toString('base64');
    const { settings, onPlatformChanged } = settingsOn(store, dataKey);
    await settings.setSignIn({ authority: T1, clientId: C1 }, signedOut);
    await settings.setPlatformKey(PLATFORM);
    expect(settings.platformConfig()).toEqual({ baseUrl: PLATFORM.platformUrl, apiKey: PLATFORM.apiKey });

    onPlatformChanged.mockClear();
    await settings.setSignIn({ authority: T2, clientId: C2 }, signedOut);
    expect(settings.platformConfig()).toBeNull();
    expect(settings.platformProblem()).toMatch(/another sign-in registration.*director of this registration/);
    // The data source is told, so it stops using the key at once.
    expect(onPlatformChanged).toHaveBeenCalled();
    // Across a restart too: the binding is sealed with the key, not in the editable settings.
    const restarted = settingsOn(store, dataKey).settings;
    expect(restarted.platformConfig()).toBeNull();

    // Back to the registration whose director saved it: usable again.
    await settings.setSignIn({ authority: T1, clientId: C1 }, signedOut);
    expect(settings.platformProblem()).toBeNull();

    // A director of the current registration may move sign-in; the key moves along.
    await settings.setSignIn({ authority: T2 }, director);
    expect(settings.platformProblem()).toBeNull();
    expect(settings.platformConfig()).not.toBeNull();

    // A director entering the key again binds it to the registration in force.
    await settings.setSignIn({ authority: T1, clientId: C2 }, signedOut);
    expect(settings.platformConfig()).toBeNull();
    await settings.setPlatformKey(PLATFORM);
    expect(settings.platformConfig()).not.toBeNull();
  });

  it('a key that cannot be opened (another data key) is reported, and the data source does not fall back to the demo', async () => {
    const store = createMemoryStore();
    const first = settingsOn(store, randomBytes(32).toString('base64')).settings;
    await first.setPlatformKey(PLATFORM);

    const { settings, logger } = settingsOn(store, randomBytes(32).toString('base64'));
    expect(settings.platformConfig()).toBeNull();
    expect(settings.platformProblem()).toMatch(/careers\.example\.edu.*cannot be opened/);

    const startDemo = vi.fn(async () => {
      throw new Error('the demo must not start');
    });
    const dataSource = new DataSourceService({
      logger,
      platformConfig: () => settings.platformConfig(),
      platformProblem: () => settings.platformProblem(),
      startDemo,
    });
    await dataSource.connect();
    expect(startDemo).not.toHaveBeenCalled();
    expect(dataSource.state()).toMatchObject({
      kind: 'platform',
      state: 'error',
      detail: expect.stringMatching(/cannot be opened/),
    });
    await dataSource.dispose();
  });
});
