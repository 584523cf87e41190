import { z } from 'zod';
import {
  ConsoleError,
  PlatformUrl,
  TenantOrAuthority,
  ClientId,
  Scope,
  type Settings,
  type SettingsChange,
  type SignInSettingsChange,
} from '../../../shared/contract/index.ts';
import type { SecretVault } from '../auth/secret-vault.ts';
import type { SignInConfig } from '../auth/identity-config.ts';
import type { PlatformConfig } from '../data-source/data-source-service.ts';
import { Emitter, type Event } from '../lifecycle/emitter.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Logger } from '../log/logger.ts';
import type { KeyValueStore } from '../preferences/preferences-service.ts';
import { checkPlatformKey, type PlatformKeyCheck } from './platform-key-check.ts';

export const SETTINGS_STORE_KEY = 'consoleSettings';
export const PLATFORM_KEY_SECRET = 'platform.apiKey';
export const DEFAULT_SCOPES = ['User.Read', 'Mail.Send', 'Mail.ReadWrite'];
export const DEFAULT_REFRESH_MINUTES = 15;

/** What is kept in the settings file: no secrets (those are in the vault, sealed). */
const Stored = z.object({
  platformUrl: PlatformUrl.nullable().catch(null),
  authority: TenantOrAuthority.nullable().catch(null),
  clientId: ClientId.nullable().catch(null),
  scopes: z.array(Scope).min(1).max(30).catch(DEFAULT_SCOPES),
  universityName: z.string().min(1).max(200).nullable().catch(null),
  helpArticleUrl: z.string().max(2048).nullable().catch(null),
  refreshIntervalMinutes: z.number().int().min(1).max(1440).catch(DEFAULT_REFRESH_MINUTES),
});
type Stored = z.infer<typeof Stored>;

const DEFAULTS: Stored = {
  platformUrl: null,
  authority: null,
  clientId: null,
  scopes: DEFAULT_SCOPES,
  universityName: null,
  helpArticleUrl: null,
  refreshIntervalMinutes: DEFAULT_REFRESH_MINUTES,
};

export interface SettingsServiceOptions {
  store: KeyValueStore;
  vault: SecretVault;
  logger: Logger;
  events: EventBus;
  /** Called after the platform URL or key changed: the data source reconnects (no restart). */
  onPlatformChanged: () => Promise<void>;
  /** Called after the sign-in configuration changed: the operator is signed out. */
  onSignInChanged: () => Promise<void>;
  /** Test seam: how a platform URL + key is checked before it is kept. */
  checkPlatform?: PlatformKeyCheck;
}

/**
 * The console's settings: validated on the way in (zod, field by field), tolerant on the way out
 * (a hand-edited file falls back field by field instead of failing the start), applied at once.
 */
export class SettingsService {
  readonly #options: SettingsServiceOptions;
  readonly #didChange = new Emitter<Settings>();
  /** Core services that follow the settings (the roster's refresh interval) listen here, not on the UI's events. */
  readonly onDidChange: Event<Settings> = this.#didChange.event;

  constructor(options: SettingsServiceOptions) {
    this.#options = options;
  }

  get(): Settings {
    const stored = this.#stored();
    const key = this.#options.vault.get(PLATFORM_KEY_SECRET);
    const secrets = this.#options.vault.status();
    return {
      platform: {
        url: stored.platformUrl,
        key: { configured: key !== null, endsWith: key === null ? null : key.slice(-4) },
      },
      signIn: { authority: stored.authority, clientId: stored.clientId, scopes: stored.scopes },
      universityName: stored.universityName,
      helpArticleUrl: stored.helpArticleUrl,
      refreshIntervalMinutes: stored.refreshIntervalMinutes,
      secrets,
    };
  }

  /** The configured platform, or null (then the console runs on the demo). */
  platformConfig(): PlatformConfig | null {
    const { platformUrl } = this.#stored();
    const apiKey = this.#options.vault.get(PLATFORM_KEY_SECRET);
    return platformUrl !== null && apiKey !== null ? { baseUrl: platformUrl, apiKey } : null;
  }

  signInConfig(): SignInConfig {
    const { authority, clientId, scopes } = this.#stored();
    return { authority, clientId, scopes };
  }

  update(change: SettingsChange): Settings {
    this.#write({ ...this.#stored(), ...change });
    return this.#changed();
  }

  async setSignIn(change: SignInSettingsChange): Promise<Settings> {
    const before = this.signInConfig();
    this.#write({ ...this.#stored(), ...change });
    const after = this.signInConfig();
    if (JSON.stringify(before) !== JSON.stringify(after)) await this.#options.onSignInChanged();
    return this.#changed();
  }

  /**
   * Checks the URL and key with GET /migration before anything is kept, so a typo never replaces
   * a working connection. Null for both forgets the platform and goes back to the demo.
   */
  async setPlatformKey(change: { platformUrl: string | null; apiKey: string | null }): Promise<Settings> {
    if (change.platformUrl === null || change.apiKey === null) {
      this.#options.vault.delete(PLATFORM_KEY_SECRET);
      this.#write({ ...this.#stored(), platformUrl: null });
      this.#options.logger.info('platform connection removed; back to the demo');
    } else {
      const baseUrl = change.platformUrl.replace(/\/+$/, '');
      await (this.#options.checkPlatform ?? checkPlatformKey)(
        { baseUrl, apiKey: change.apiKey },
        this.#options.logger,
      );
      this.#options.vault.set(PLATFORM_KEY_SECRET, change.apiKey, { replaceUnreadable: true });
      this.#write({ ...this.#stored(), platformUrl: baseUrl });
      this.#options.logger.info('platform connection saved', { host: new URL(baseUrl).host });
    }
    await this.#options.onPlatformChanged();
    return this.#changed();
  }

  #stored(): Stored {
    const raw = this.#options.store.get(SETTINGS_STORE_KEY);
    const parsed = Stored.safeParse({ ...DEFAULTS, ...(typeof raw === 'object' && raw !== null ? raw : {}) });
    return parsed.success ? parsed.data : { ...DEFAULTS };
  }

  #write(next: Stored): void {
    const checked = Stored.safeParse(next);
    if (!checked.success) throw new ConsoleError('bad_input', 'The settings could not be saved.');
    this.#options.store.set(SETTINGS_STORE_KEY, checked.data);
  }

  #changed(): Settings {
    const settings = this.get();
    this.#options.events.emit('settings.changed', settings);
    this.#didChange.fire(settings);
    return settings;
  }
}
