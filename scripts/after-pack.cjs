// electron-builder `afterPack` hook: flips Electron's fuses in the packaged binary before it is
// signed. Fuses are compiled-in switches that no runtime code can turn back on, so a compromised
// renderer or a local attacker cannot, for example, run the app as plain Node with
// ELECTRON_RUN_AS_NODE or attach an inspector with --inspect.
// CommonJS because electron-builder loads hooks with require().
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder require()s hooks, so this file is CommonJS. */

const path = require('node:path');

/** builder-util's Arch.arm64; Apple Silicon binaries need their ad-hoc signature redone after flipping. */
const ARCH_ARM64 = 3;

/**
 * The fuse wire for this app, from @electron/fuses' own enums. Every fuse is set explicitly and
 * `strictlyRequireAllFuses` makes @electron/fuses fail the build if an Electron upgrade adds one
 * nobody has decided about yet.
 */
function fuseConfig(fuses, context) {
  const { FuseVersion, FuseV1Options } = fuses;
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARCH_ARM64,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Where electron-builder put the Electron binary (the same rule it uses for its own fuse support). */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`after-pack: no known Electron binary layout for platform "${electronPlatformName}".`);
  }
}

async function applyFuses(context, fuses) {
  const binary = electronBinaryPath(context);
  await fuses.flipFuses(binary, fuseConfig(fuses, context));
  return binary;
}

async function afterPack(context) {
  return applyFuses(context, require('@electron/fuses'));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.applyFuses = applyFuses;
module.exports.electronBinaryPath = electronBinaryPath;
module.exports.fuseConfig = fuseConfig;
