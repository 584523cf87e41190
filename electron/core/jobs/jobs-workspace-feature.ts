import type { Feature } from '../feature.ts';
import type { CallContext } from '../ipc/dispatcher.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Logger } from '../log/logger.ts';
import { disconnectPlatformOf } from '../disconnect/platform-port.ts';
import type { RosterFeature } from '../roster/roster-feature.ts';
import type { WorkspaceHost } from '../workspace/workspace-host.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { VerdictLabels } from '../../../shared/contract/index.ts';
import type { JobKind } from './job-engine.ts';
import { createJobsFeature, type JobsFeature, type JobsMethod } from './jobs-feature.ts';

export interface JobsWorkspaceFeatureOptions {
  logger: Logger;
  events: EventBus | null;
  workspaces: WorkspaceHost;
  /** For "re-authorized since the roster was loaded" in the preview. */
  roster: RosterFeature;
  notify?: ((title: string, body: string) => void) | null;
  /** The latest verifications, so a disconnect selection may be filtered by `verdict`. */
  verdicts?: () => VerdictLabels | null;
  /** Other features' job kinds for a workspace (verification, announcement delivery), besides force-disconnect. */
  kinds?: (workspace: Workspace) => readonly JobKind[];
  /** Lease and concurrency (the CLI's CONSOLE_JOB_LEASE_MS / CONSOLE_JOB_CONCURRENCY; tests). */
  tuning?: { leaseMs?: number; concurrency?: number };
}

export interface JobsWorkspaceFeature extends Feature<JobsMethod> {
  /** The audit hook for the dispatcher's door; records into the current workspace's journal. */
  recordCall(call: { method: string; input: unknown; context: CallContext; outcome: string }): void;
  current(): JobsFeature | null;
}

/**
 * Jobs, force-disconnect and the audit log as a feature over the workspace: each data source's
 * journal has its own engine, and the jobs draw from that source's request budget at `jobs`
 * priority (interactive calls first, background sync after).
 */
export function createJobsWorkspaceFeature(options: JobsWorkspaceFeatureOptions): JobsWorkspaceFeature {
  const slot = options.workspaces.slot((workspace) =>
    createJobsFeature({
      logger: options.logger,
      events: options.events,
      journal: workspace.journal,
      platform: disconnectPlatformOf(() => workspace.platform()),
      migration: async () => (await workspace.platform()).getMigration(),
      cachedStatus: (userId) => options.roster.slot.peek()?.sync.engine.get(userId)?.status,
      notify: options.notify ?? null,
      ...(options.kinds === undefined ? {} : { kinds: options.kinds(workspace) }),
      ...(options.verdicts === undefined ? {} : { verdicts: options.verdicts }),
      ...(options.tuning?.leaseMs === undefined ? {} : { leaseMs: options.tuning.leaseMs }),
      ...(options.tuning?.concurrency === undefined ? {} : { concurrency: options.tuning.concurrency }),
    }),
  );
  // Handlers reach the current workspace's jobs on every call (a source switch swaps them).
  const names = Object.keys(slot.current.handlers) as JobsMethod[];
  const handlers = Object.fromEntries(
    names.map((name) => [
      name,
      (input: unknown, context: CallContext) =>
        (slot.current.handlers[name] as (input: unknown, context: CallContext) => unknown)(input, context),
    ]),
  ) as unknown as JobsFeature['handlers'];
  return {
    name: 'jobs',
    handlers,
    recordCall: (call) => slot.peek()?.recordCall(call),
    current: () => slot.peek(),
  };
}
