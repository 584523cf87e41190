import { platformUrlProblem } from '../../shared/domain/platform-url.ts';
import type { GlobalOptions, OptionSpecs } from './command.ts';
import { UsageError } from './command.ts';

export const DEFAULT_DEADLINE_SECONDS = 60;
/**
 * The roster commands' default: a full sync of a large platform legitimately takes minutes (one
 * ~0.5 MB page per round trip, paced by the key's rate limit), so 60 s would end healthy runs. A
 * hung platform still fails after its retries (about a minute and a half) without waiting for it.
 */
export const DEFAULT_ROSTER_DEADLINE_SECONDS = 1800;

export const GLOBAL_OPTIONS: OptionSpecs = {
  'platform-url': {
    type: 'string',
    valueName: 'URL',
    description:
      'Base URL of the platform API, e.g. https://careers.example.edu/api/calendar-sync/v1. Without it, commands use an in-process demo sandbox.',
  },
  'platform-key-env': {
    type: 'string',
    valueName: 'VAR',
    description:
      'Name of the environment variable that holds the platform API key (the key itself never goes on the command line).',
  },
  'graph-url': {
    type: 'string',
    valueName: 'URL',
    description: 'Microsoft Graph base URL (default https://graph.microsoft.com/v1.0).',
  },
  'graph-token-env': {
    type: 'string',
    valueName: 'VAR',
    description: 'Name of the environment variable that holds a Graph access token.',
  },
  'data-dir': {
    type: 'string',
    valueName: 'DIR',
    description: 'Folder for the console data (settings, caches, exports).',
  },
  deadline: {
    type: 'string',
    valueName: 'SECONDS',
    description: `How long a command may take in all, retries included, before it stops and says what happened (default ${DEFAULT_DEADLINE_SECONDS}; roster commands: ${DEFAULT_ROSTER_DEADLINE_SECONDS}, as a full sync of a large platform takes minutes; commands that run a job, none unless given).`,
  },
  json: { type: 'boolean', description: 'Print exactly one JSON document on stdout; logs go to stderr.' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command.' },
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function httpUrl(option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${option}: "${value.slice(0, 200)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--${option}: the URL must start with http:// or https://.`);
  return url.toString().replace(/\/+$/, '');
}

/** A URL a secret is sent to: the same rule as Settings (https, or http only to this computer). */
function secretUrl(option: string, value: string): string {
  const url = httpUrl(option, value);
  const problem = platformUrlProblem(url);
  if (problem !== null) throw new UsageError(`--${option}: ${problem}`);
  return url;
}

function envName(option: string, value: string): string {
  if (!ENV_NAME.test(value))
    throw new UsageError(`--${option}: "${value.slice(0, 100)}" is not an environment variable name.`);
  return value;
}

export function readGlobals(values: Record<string, string | boolean | undefined>): GlobalOptions {
  const str = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} needs a value.`);
    return value;
  };
  const platformUrl = str('platform-url');
  const platformKeyEnv = str('platform-key-env');
  const graphUrl = str('graph-url');
  const graphTokenEnv = str('graph-token-env');
  return {
    platformUrl: platformUrl === undefined ? undefined : secretUrl('platform-url', platformUrl),
    platformKeyEnv: platformKeyEnv === undefined ? undefined : envName('platform-key-env', platformKeyEnv),
    graphUrl: graphUrl === undefined ? undefined : secretUrl('graph-url', graphUrl),
    graphTokenEnv: graphTokenEnv === undefined ? undefined : envName('graph-token-env', graphTokenEnv),
    dataDir: str('data-dir'),
    json: values['json'] === true,
    deadlineSeconds: intOption(values, 'deadline', 1, 24 * 3600),
  };
}

/** The secret named by `--<option> VAR`, read from the environment; a usage error names both when missing. */
export function secretFromEnv(option: string, variable: string | undefined, env: NodeJS.ProcessEnv): string {
  if (variable === undefined)
    throw new UsageError(
      `--${option} VAR is required here: name the environment variable that holds the secret.`,
    );
  const value = env[variable];
  if (value === undefined || value.trim().length === 0) {
    throw new UsageError(
      `--${option} ${variable}: the environment variable ${variable} is not set or empty.`,
    );
  }
  return value.trim();
}

/** Integer option within bounds, or a usage error naming it. */
export function intOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw))
    throw new UsageError(`--${name}: "${String(raw).slice(0, 50)}" is not a whole number.`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`--${name}: ${value} is outside ${min}..${max}.`);
  return value;
}

export function choiceOption<T extends string>(
  values: Record<string, string | boolean | undefined>,
  name: string,
  choices: readonly T[],
): T | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name}: "${String(raw).slice(0, 50)}" is not one of ${choices.join(', ')}.`);
  }
  return raw as T;
}
