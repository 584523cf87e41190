import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/**
 * `npm start`: build with electron-vite, then run the desktop app, but only when the Electron
 * binary is really there. Electron's npm package downloads its binary from GitHub on first use;
 * on a machine without that access (CI, locked-down lab PCs) a plain `electron .` would hang or
 * fail with a download error, so this checks first, without loading the `electron` package
 * (loading it is what triggers the download), and points to the browser host instead.
 */
export const NOT_INSTALLED_MESSAGE =
  'The Electron binary is not installed on this machine (Electron downloads it from GitHub at first run); run `npm run serve` to use the console in your browser instead.';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Follows the same rules as `node_modules/electron/index.js`: `path.txt` names the executable
 * inside `dist/` (or inside ELECTRON_OVERRIDE_DIST_PATH when set), and the file must exist.
 */
export function findElectronBinary(
  electronPackageDir: string,
  env: NodeJS.ProcessEnv = process.env,
): ElectronBinary {
  const pathFile = join(electronPackageDir, 'path.txt');
  let executable = '';
  if (existsSync(pathFile)) {
    try {
      executable = readFileSync(pathFile, 'utf8').trim();
    } catch {
      return { found: false, reason: 'path.txt is unreadable' };
    }
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, executable || 'electron');
    return isFile(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `no executable at ${candidate}` };
  }
  if (executable === '')
    return { found: false, reason: 'node_modules/electron/path.txt is missing or empty' };
  const dist = join(electronPackageDir, 'dist');
  const candidate = resolve(dist, executable);
  const inside = relative(dist, candidate);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { found: false, reason: 'path.txt points outside node_modules/electron/dist' };
  }
  return isFile(candidate)
    ? { found: true, path: candidate }
    : { found: false, reason: `no executable at ${candidate}` };
}

const root = resolve(import.meta.dirname, '..');

async function main(): Promise<number> {
  const binary = findElectronBinary(join(root, 'node_modules', 'electron'));
  if (!binary.found) {
    console.error(NOT_INSTALLED_MESSAGE);
    return 1;
  }
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) return build.status ?? 1;

  // ELECTRON_RUN_AS_NODE left over in a shell would start Electron as plain Node, without a window.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary.path, ['.'], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolveExit) => {
    child.on('error', (error) => {
      console.error(`Electron could not start: ${error.message}`);
      resolveExit(1);
    });
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

if (import.meta.main) process.exitCode = await main();
