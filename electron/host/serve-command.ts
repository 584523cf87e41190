import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger, stderrSink, type Logger } from '../core/log/logger.ts';
import { PlatformUrl } from '../../shared/contract/settings.ts';
import { BrowserHostError } from './host-error.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

/** `npm run serve`: build the renderer, start the browser host, print its one-time URL, stop on a signal. */

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PORT = 5183;
const DATA_FOLDER = 'calendar-sync-console';
const STOP_DEADLINE_MS = 5_000;

export const USAGE = `Usage: npm run serve -- [options]

Serves the console to a browser on this machine (http://127.0.0.1 only) and prints a one-time URL.

Options:
  --port N             port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir DIR       where settings are kept (default: a per-user folder, see below)
  --renderer-dir DIR   the built renderer (default out/renderer)
  --no-build           serve the existing build instead of running electron-vite build first
  --demo-users N       users in the embedded demo sandbox (default 12000; 1 to 1000000)
  --platform-url URL   use this platform for this run instead of the one saved in Settings
                       (https://, or http:// on this computer); needs --platform-key-env
  --platform-key-env VAR
                       the environment variable holding that platform's API key
  -h, --help           show this help

Default data folder: $XDG_DATA_HOME/${DATA_FOLDER} or ~/.local/share/${DATA_FOLDER}
(%APPDATA%\\${DATA_FOLDER} on Windows, ~/Library/Application Support/${DATA_FOLDER} on macOS).
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ServeOptions {
  port: number;
  dataDir: string;
  rendererDir: string;
  build: boolean;
  help: boolean;
  /** The demo sandbox's roster size; undefined keeps the default. */
  demoUsers?: number;
  /** `--platform-url` with the key read from `--platform-key-env`; undefined: Settings decide. */
  platform?: { baseUrl: string; apiKey: string };
}

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), DATA_FOLDER);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', DATA_FOLDER);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), DATA_FOLDER);
}

export function parseServeArgs(
  argv: readonly string[],
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): ServeOptions {
  let values: {
    port?: string | undefined;
    'data-dir'?: string | undefined;
    'renderer-dir'?: string | undefined;
    'no-build'?: boolean | undefined;
    help?: boolean | undefined;
    'demo-users'?: string | undefined;
    'platform-url'?: string | undefined;
    'platform-key-env'?: string | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'renderer-dir': { type: 'string' },
        'no-build': { type: 'boolean' },
        'demo-users': { type: 'string' },
        'platform-url': { type: 'string' },
        'platform-key-env': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs names the offending argument in its message ("Unknown option '--prot'").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
    }
    port = Number(values.port);
  }
  const folder = (flag: string, value: string | undefined, fallback: string): string => {
    if (value === undefined) return fallback;
    if (value.trim() === '') throw new UsageError(`${flag} needs a folder, not an empty string.`);
    return resolve(cwd, value);
  };
  let demoUsers: number | undefined;
  const rawUsers = values['demo-users'];
  if (rawUsers !== undefined) {
    if (!/^\d{1,7}$/.test(rawUsers) || Number(rawUsers) < 1 || Number(rawUsers) > 1_000_000) {
      throw new UsageError(`--demo-users must be a whole number from 1 to 1000000, not "${rawUsers}".`);
    }
    demoUsers = Number(rawUsers);
  }
  const platform = platformOption(values['platform-url'], values['platform-key-env'], env);
  return {
    ...(demoUsers === undefined ? {} : { demoUsers }),
    ...(platform === undefined ? {} : { platform }),
    port,
    dataDir: folder('--data-dir', values['data-dir'], defaultDataDir(env)),
    rendererDir: folder('--renderer-dir', values['renderer-dir'], join(PROJECT_ROOT, 'out', 'renderer')),
    build: values['no-build'] !== true,
    help: values.help === true,
  };
}

/** `--platform-url` and `--platform-key-env` go together; the key itself never appears on the command line. */
function platformOption(
  url: string | undefined,
  keyEnv: string | undefined,
  env: NodeJS.ProcessEnv,
): ServeOptions['platform'] {
  if (url === undefined && keyEnv === undefined) return undefined;
  if (url === undefined) throw new UsageError('--platform-key-env is only used with --platform-url.');
  const checked = PlatformUrl.safeParse(url);
  if (!checked.success) throw new UsageError(`--platform-url ${url}: ${checked.error.issues[0]?.message}`);
  if (keyEnv === undefined)
    throw new UsageError(
      '--platform-url needs --platform-key-env VAR: name the environment variable that holds the API key.',
    );
  const apiKey = env[keyEnv]?.trim() ?? '';
  if (apiKey === '')
    throw new UsageError(
      `--platform-key-env ${keyEnv}: the environment variable ${keyEnv} is not set or empty.`,
    );
  return { baseUrl: checked.data, apiKey };
}

/** Runs `electron-vite build` with this same Node; its output goes to stderr so stdout stays one line. */
export function buildRenderer(logger: Logger): Promise<void> {
  const bin = join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  logger.info('building the console (electron-vite build); --no-build skips this');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 2, 2] });
    child.on('error', (error) => reject(new Error(`Could not run electron-vite: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(
            `The build failed (electron-vite exited with ${signal ?? String(code)}); its output is above.`,
          ),
        );
    });
  });
}

export interface ServeIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  logger: Logger;
}

/**
 * The whole command; resolves with the exit code once the host has stopped (or failed to start).
 * Exit codes: 0 stopped by a signal, 1 could not start or build, 2 bad arguments.
 */
export async function runServe(argv: readonly string[], io: ServeIo = defaultIo()): Promise<number> {
  let options: ServeOptions;
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`serve: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }

  let host: BrowserHost;
  try {
    if (options.build) await buildRenderer(io.logger);
    host = await startBrowserHost({
      port: options.port,
      rendererDir: options.rendererDir,
      dataDir: options.dataDir,
      logger: io.logger,
      ...(options.demoUsers === undefined ? {} : { demoUsers: options.demoUsers }),
      ...(options.platform === undefined ? {} : { platform: options.platform }),
    });
  } catch (error) {
    const message =
      error instanceof BrowserHostError || error instanceof Error ? error.message : String(error);
    io.stderr(`serve: ${message}\n`);
    return 1;
  }

  io.stdout(`console url: ${host.url}\n`);
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      // Repeats are ignored rather than treated as "force": conf's write-on-exit hook (when-exit)
      // re-raises the first signal, so a repeat does not mean the operator pressed Ctrl+C twice.
      if (stopping) return;
      stopping = true;
      io.logger.info('stopping the browser host', { signal });
      const deadline = setTimeout(() => {
        io.stderr(`serve: the host did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway\n`);
        resolveExit(1);
      }, STOP_DEADLINE_MS);
      host.close().then(
        () => {
          clearTimeout(deadline);
          resolveExit(0);
        },
        (error: unknown) => {
          clearTimeout(deadline);
          io.stderr(
            `serve: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          resolveExit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function defaultIo(): ServeIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    logger: createLogger({ sink: stderrSink, level: 'info', bindings: { process: 'serve' } }),
  };
}
