import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvKeyWrapper } from '../crypto/env-key-wrapper.ts';
import type { DataSourceService } from '../data-source/data-source-service.ts';
import { createMemoryLogger } from '../log/logger.ts';
import { Workspace, type WorkspacePart, type WorkspaceSource } from './workspace.ts';
import { WorkspaceHost } from './workspace-host.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workspace-host-'));
  dirs.push(dir);
  return dir;
}

/** The workspace never calls the data source in these tests (no part asks for the platform). */
const noDataSource = {} as DataSourceService;
const key = new EnvKeyWrapper({ CONSOLE_DATA_KEY: Buffer.alloc(32, 9).toString('base64') });

function host(dataDir: string, source: { current: WorkspaceSource }, log: string[]) {
  const logger = createMemoryLogger('error');
  return new WorkspaceHost({
    logger,
    currentSource: () => source.current,
    open: (next) => {
      log.push(`open ${next.platformUrl ?? 'demo'}`);
      return new Workspace({ source: next, logger, dataSource: noDataSource, dataDir, keyWrapper: key });
    },
  });
}

function part(name: string, workspace: Workspace, log: string[]): WorkspacePart & { workspace: Workspace } {
  return {
    workspace,
    start: async () => void log.push(`start ${name}`),
    dispose: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`dispose ${name}`);
    },
  };
}

describe('WorkspaceHost', () => {
  it('rebuilds every slot for a new source, after the old parts are disposed, and starts them', async () => {
    const log: string[] = [];
    const source = { current: { platformUrl: null } as WorkspaceSource };
    const workspaces = host(folder(), source, log);
    const first = workspaces.slot((ws) => part(`a@${ws.source.platformUrl ?? 'demo'}`, ws, log));
    workspaces.slot((ws) => part(`b@${ws.source.platformUrl ?? 'demo'}`, ws, log));
    workspaces.start();
    await workspaces.whenIdle();
    const demo = first.current.workspace;

    workspaces.sourceMayHaveChanged(); // same source: nothing happens
    source.current = { platformUrl: 'https://p.example.edu/api' };
    workspaces.sourceMayHaveChanged();
    await workspaces.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(first.current.workspace).not.toBe(demo);
    expect(first.current.workspace.source.platformUrl).toBe('https://p.example.edu/api');
    expect(log).toEqual([
      'open demo',
      'start a@demo',
      'start b@demo',
      // Newest first, and all of the old before any of the new.
      'dispose b@demo',
      'dispose a@demo',
      'open https://p.example.edu/api',
      'start a@https://p.example.edu/api',
      'start b@https://p.example.edu/api',
    ]);
    // Each source has its own cache folder.
    expect(demo.store).not.toBe(first.current.workspace.store);
    await workspaces.dispose();
    expect(log.at(-1)).toBe('dispose a@https://p.example.edu/api');
  });

  it('rebuilds a damaged store: sets its files aside and gives every slot a fresh part on an empty store', async () => {
    const log: string[] = [];
    const dataDir = folder();
    const source = { current: { platformUrl: null } as WorkspaceSource };
    let workspaces = host(dataDir, source, log);
    await workspaces.dispose();
    // Damage the database the first workspace created.
    writeFileSync(join(dataDir, 'demo-store', 'console.db'), Buffer.alloc(8192, 0x5a));
    workspaces = host(dataDir, source, log);
    const slot = workspaces.slot((ws) => part('roster', ws, log));
    expect(workspaces.current.store?.status().state).toBe('needs-rebuild');
    const before = slot.current;

    const status = await workspaces.rebuildStore();
    expect(status?.state).toBe('ready');
    expect(slot.current).not.toBe(before);
    expect(log).toContain('dispose roster');
    // Not started yet (no start()), so the rebuilt part waits for whoever asks for it.
    expect(log).not.toContain('start roster');
    expect(readdirSync(join(dataDir, 'demo-store', 'set-aside'))).toHaveLength(1);
    await workspaces.dispose();
  });

  it('says the console is switching while a slot has no part', async () => {
    const log: string[] = [];
    const source = { current: { platformUrl: null } as WorkspaceSource };
    const workspaces = host(folder(), source, log);
    const slot = workspaces.slot((ws) => part('x', ws, log));
    await workspaces.dispose();
    expect(slot.peek()).toBeNull();
    expect(() => slot.current).toThrow(/switching data source/);
  });
});
