import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary, NOT_INSTALLED_MESSAGE } from './start.ts';

function electronPackage(options: { pathTxt?: string; binary?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'electron-pkg-'));
  if (options.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), options.pathTxt);
  if (options.binary !== undefined) {
    const full = join(dir, 'dist', options.binary);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, '#!/bin/sh\n');
    chmodSync(full, 0o755);
  }
  return dir;
}

describe('findElectronBinary', () => {
  it('finds the executable named by path.txt inside dist/', () => {
    const dir = electronPackage({ pathTxt: 'electron', binary: 'electron' });
    expect(findElectronBinary(dir, {})).toEqual({ found: true, path: join(dir, 'dist', 'electron') });
    const mac = electronPackage({
      pathTxt: 'Electron.app/Contents/MacOS/Electron',
      binary: 'Electron.app/Contents/MacOS/Electron',
    });
    expect(findElectronBinary(mac, {})).toMatchObject({ found: true });
  });

  it('reports a missing path.txt, an empty one, a missing binary, and a path.txt escaping dist/', () => {
    expect(findElectronBinary(electronPackage(), {})).toMatchObject({
      found: false,
      reason: expect.stringContaining('path.txt'),
    });
    expect(findElectronBinary(electronPackage({ pathTxt: '  ' }), {})).toMatchObject({ found: false });
    expect(findElectronBinary(electronPackage({ pathTxt: 'electron' }), {})).toMatchObject({
      found: false,
      reason: expect.stringContaining('no executable'),
    });
    const escaping = electronPackage({ pathTxt: '../../../bin/sh' });
    expect(findElectronBinary(escaping, {})).toMatchObject({
      found: false,
      reason: expect.stringContaining('outside'),
    });
    // A folder named like the binary is not a binary.
    const folder = electronPackage({ pathTxt: 'electron' });
    mkdirSync(join(folder, 'dist', 'electron'), { recursive: true });
    expect(findElectronBinary(folder, {})).toMatchObject({ found: false });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const override = mkdtempSync(join(tmpdir(), 'electron-dist-'));
    writeFileSync(join(override, 'electron'), '');
    expect(findElectronBinary(electronPackage(), { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({
      found: true,
      path: join(override, 'electron'),
    });
    expect(
      findElectronBinary(electronPackage({ pathTxt: 'other' }), { ELECTRON_OVERRIDE_DIST_PATH: override }),
    ).toMatchObject({ found: false });
  });
});

describe('npm start without the Electron binary', () => {
  it('prints one clear line and exits 1, before building anything', () => {
    // An empty override folder means "no binary" on every machine, including ones that have Electron.
    const emptyDist = mkdtempSync(join(tmpdir(), 'no-electron-'));
    const result = spawnSync(process.execPath, [join(import.meta.dirname, 'start.ts')], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(NOT_INSTALLED_MESSAGE);
    expect(result.stdout).toBe('');
  });
});
