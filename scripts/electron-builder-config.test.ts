import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
// electron-builder's own YAML reader and schema validator, reached through electron-builder so
// the test checks the file with exactly what `npm run package:*` will use.
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const requireFromLib = createRequire(requireFromBuilder.resolve('app-builder-lib'));
const yaml = requireFromLib('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = requireFromLib('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = requireFromLib('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Config = Record<string, unknown> & {
  directories: { output: string; buildResources: string };
  win: { icon: string; target: Array<{ target: string }> };
  mac: { icon: string; hardenedRuntime: boolean; target: Array<{ target: string }> };
  linux: { icon: string; category: string; maintainer: string; target: string[] };
};

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Config;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation, which does reject unknown keys', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, asarr: true }, new DebugLogger(false))).rejects.toThrow();
  });

  it('ships only the build, in an asar, with the fuse hook and the app identity', () => {
    expect(config.appId).toBe('edu.calendarsync.migrationconsole');
    expect(config.productName).toBe('Calendar Sync Migration Console');
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'resources' });
    expect(config.files).toEqual(['out/**', 'package.json']);
    expect(config.asar).toBe(true);
    expect(config.afterPack).toBe('scripts/after-pack.cjs');
    expect(existsSync(join(root, 'scripts/after-pack.cjs'))).toBe(true);
  });

  it('targets NSIS, a hardened-runtime DMG, AppImage and deb, with existing icons', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Office');
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^@\s]+>/);
    for (const icon of [config.win.icon, config.mac.icon, config.linux.icon])
      expect(existsSync(join(root, icon)), icon).toBe(true);
  });
});
