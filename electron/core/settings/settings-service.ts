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
import { authorityUrl, type SignInConfig } from '../auth/identity-config.ts';
import type { Operator } from '../ipc/dispatcher.ts';
import type { PlatformConfig } from '../data-source/data-source-service.ts';
import { Emitter, type Event } from '../lifecycle/emitter.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Logger } from '../log/logger.ts';
import type { KeyValueStore } from '../preferences/preferences-service.ts';
import { checkPlatformKey, type PlatformKeyCheck } from './platform-key-check.ts';

export const SETTINGS_STORE_KEY = 'consoleSettings';
export const PLATFORM_KEY_SECRET = 'platform.apiKey';
/**
 * Which sign-in registration (tenant + client id) the saved platform key belongs to, sealed beside the key
 * so a hand-edited settings file cannot move it: the key works only while sign-in points at the
 * registration whose director saved it.
 */
export const PLATFORM_KEY_REGISTRATION_SECRET = 'platform.apiKey.registration';
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
  /** The data folder, shown in Settings so the operator knows where the data lives. */
  dataFolder?: string | null;
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
      dataFolder: this.#options.dataFolder ?? null,
    };
  }

  /**
   * The configured platform, or null: no platform is configured (the console runs on the demo) or the
   * configured one cannot be used (`platformProblem()` says why; the console must not fall back to the demo).
   */
  platformConfig(): PlatformConfig | null {
    const { platformUrl } = this.#stored();
    if (platformUrl === null || this.platformProblem() !== null) return null;
    const apiKey = this.#options.vault.get(PLATFORM_KEY_SECRET);
    return apiKey === null ? null : { baseUrl: platformUrl, apiKey };
  }

  /** Why the configured platform cannot be used, in words for the operator; null when it can (or none is set). */
  platformProblem(): string | null {
    const { platformUrl } = this.#stored();
    if (platformUrl === null) return null;
    const host = new URL(platformUrl).host;
    const vault = this.#options.vault;
    const apiKey = vault.get(PLATFORM_KEY_SECRET);
    if (apiKey === null) {
      const unreadable = vault.unreadableReason();
      if (unreadable !== null) {
        return `The platform ${host} is configured but its saved API key cannot be opened. ${unreadable} A director can enter the key again in Settings → Career platform.`;
      }
      return `The platform ${host} is configured but its API key is not available (${vault.status().explanation ?? 'it was not saved'}). A director can enter it again in Settings → Career platform.`;
    }
    const boundTo = vault.get(PLATFORM_KEY_REGISTRATION_SECRET);
    if (boundTo === null) {
      // A key saved before keys were bound: it belongs to the registration it has been used with.
      vault.set(PLATFORM_KEY_REGISTRATION_SECRET, this.#registration());
      return null;
    }
    if (boundTo !== this.#registration()) {
      return `The platform key for ${host} was saved under another sign-in registration (tenant or client id). Sign-in was changed by someone who is not a director of it, so the key stays unused until a director of this registration enters it again in Settings → Career platform.`;
    }
    return null;
  }

  signInConfig(): SignInConfig {
    const { authority, clientId, scopes } = this.#stored();
    return { authority, clientId, scopes };
  }

  update(change: SettingsChange): Settings {
    this.#write({ ...this.#stored(), ...change });
    return this.#changed();
  }

  /**
   * Changes the sign-in setup. Anyone may do so before a platform key is saved (first run). Afterwards a
   * director of the current registration carries the saved key over to the new one; anyone else's change
   * leaves the key bound to the old registration, so it stays unused until a director of the new one
   * enters it again (otherwise pointing sign-in at a tenant of one's own would make one "director").
   */
  async setSignIn(change: SignInSettingsChange, operator?: Operator): Promise<Settings> {
    const before = this.signInConfig();
    const registrationBefore = this.#registration();
    const keySaved = this.#options.vault.get(PLATFORM_KEY_SECRET) !== null;
    const keyUsable = keySaved && this.platformProblem() === null;
    this.#write({ ...this.#stored(), ...change });
    const after = this.signInConfig();
    const registrationAfter = this.#registration();
    if (keySaved && registrationAfter !== registrationBefore) {
      if (operator?.role === 'director' && keyUsable) {
        this.#options.vault.set(PLATFORM_KEY_REGISTRATION_SECRET, registrationAfter);
        this.#options.logger.info(
          'sign-in registration changed by a director; the platform key moves with it',
        );
      } else {
        this.#options.logger.warn(
          'sign-in registration changed by a non-director; the saved platform key is unused until a director of the new registration enters it',
          { role: operator?.role ?? 'unknown' },
        );
      }
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await this.#options.onSignInChanged();
      if (keySaved && registrationAfter !== registrationBefore) await this.#options.onPlatformChanged();
    }
    return this.#changed();
  }

  /** The registration sign-in points at (authority URL + client id, normalised). */
  #registration(): string {
    const { authority, clientId } = this.#stored();
    return JSON.stringify([
      authority === null ? null : authorityUrl(authority).toLowerCase(),
      clientId?.toLowerCase() ?? null,
    ]);
  }

  /**
   * Checks the URL and key with GET /migration before anything is kept, so a typo never replaces
   * a working connection. Null for both forgets the platform and goes back to the demo.
   */
  async setPlatformKey(change: { platformUrl: string | null; apiKey: string | null }): Promise<Settings> {
    if (change.platformUrl === null || change.apiKey === null) {
      this.#options.vault.delete(PLATFORM_KEY_SECRET);
      this.#options.vault.delete(PLATFORM_KEY_REGISTRATION_SECRET);
      this.#write({ ...this.#stored(), platformUrl: null });
      this.#options.logger.info('platform connection removed; back to the demo');
    } else {
      const baseUrl = change.platformUrl.replace(/\/+$/, '');
      await (this.#options.checkPlatform ?? checkPlatformKey)(
        { baseUrl, apiKey: change.apiKey },
        this.#options.logger,
      );
      this.#options.vault.set(PLATFORM_KEY_SECRET, change.apiKey, { replaceUnreadable: true });
      // Only a director (the `settings` permission) gets here: the key belongs to their registration.
      this.#options.vault.set(PLATFORM_KEY_REGISTRATION_SECRET, this.#registration());
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
