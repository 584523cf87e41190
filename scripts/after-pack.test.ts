import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it, vi } from 'vitest';

interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}
interface AfterPackModule {
  (context: PackContext): Promise<string>;
  applyFuses(context: PackContext, fuses: unknown): Promise<string>;
  electronBinaryPath(context: PackContext): string;
}

// The hook is CommonJS (electron-builder require()s it); load it the same way.
const afterPack = createRequire(import.meta.url)('./after-pack.cjs') as AfterPackModule;

function context(platform: string, arch = 1): PackContext {
  return {
    appOutDir: '/dist/out',
    electronPlatformName: platform,
    arch,
    packager: {
      appInfo: { productFilename: 'Calendar Sync Migration Console' },
      executableName: 'calendar-sync-migration-console',
    },
  };
}

describe('after-pack fuses', () => {
  it('flips exactly the agreed fuses, all of them, strictly', async () => {
    const flipFuses = vi.fn(async (_binary: string, _config: unknown) => 0);
    await afterPack.applyFuses(context('linux'), { flipFuses, FuseVersion, FuseV1Options });
    expect(flipFuses).toHaveBeenCalledExactlyOnceWith(join('/dist/out', 'calendar-sync-migration-console'), {
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    // Every fuse this @electron/fuses knows is decided.
    const config = flipFuses.mock.calls[0]?.[1] as Record<string, unknown>;
    const fuseKeys = Object.values(FuseV1Options)
      .filter((value) => typeof value === 'number')
      .map(String);
    expect(
      Object.keys(config)
        .filter((key) => /^\d+$/.test(key))
        .sort(),
    ).toEqual(fuseKeys.sort());
  });

  it('finds the binary per platform and re-signs ad hoc only on Apple Silicon', async () => {
    expect(afterPack.electronBinaryPath(context('win32'))).toBe(
      join('/dist/out', 'Calendar Sync Migration Console.exe'),
    );
    expect(afterPack.electronBinaryPath(context('darwin'))).toBe(
      join('/dist/out', 'Calendar Sync Migration Console.app'),
    );
    expect(afterPack.electronBinaryPath(context('mas'))).toBe(
      join('/dist/out', 'Calendar Sync Migration Console.app'),
    );
    expect(() => afterPack.electronBinaryPath(context('aix'))).toThrow(/aix/);
    const flipFuses = vi.fn(async (_binary: string, _config: unknown) => 0);
    await afterPack.applyFuses(context('darwin', 3), { flipFuses, FuseVersion, FuseV1Options });
    await afterPack.applyFuses(context('darwin', 1), { flipFuses, FuseVersion, FuseV1Options });
    expect(
      flipFuses.mock.calls.map(
        (call) => (call[1] as { resetAdHocDarwinSignature: boolean }).resetAdHocDarwinSignature,
      ),
    ).toEqual([true, false]);
  });

  it('the default export uses the real @electron/fuses and fails loudly when the binary is missing', async () => {
    await expect(
      afterPack({ ...context('linux'), appOutDir: '/nonexistent-dir-for-test' }),
    ).rejects.toThrow();
  });
});
