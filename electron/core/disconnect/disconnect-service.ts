import {
  ConsoleError,
  type DisconnectPreview,
  type DisconnectSelection,
  type VerdictLabels,
} from '../../../shared/contract/index.ts';
import type { Connection, Migration } from '../../../shared/domain/platform.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import { csvOf } from '../jobs/job-summary.ts';
import type { JobRecord } from '../jobs/job-store.ts';
import { formatFilterExpression } from '../roster/filter-expression.ts';
import { DISCONNECT_KIND, type DisconnectParams } from './disconnect-kind.ts';
import type { DisconnectPlatform } from './platform-port.ts';
import { buildPreview, readFreshRoster, resolveSelection } from './selection.ts';

export interface DisconnectServiceOptions {
  platform: DisconnectPlatform;
  migration: () => Promise<Migration>;
  engine: JobEngine;
  /** The roster cache's status of a user, to tell who re-authorized since it was loaded. */
  cachedStatus?: (userId: string) => Connection['status'] | undefined;
  /** The latest verifications, so a selection filtered by `verdict` resolves (null: not readable). */
  verdicts?: () => VerdictLabels | null;
  now?: () => Date;
}

export const DEFAULT_DISCONNECT_REASON =
  'Legacy Outlook REST v2.0 calendar connection retired at the migration cut-off.';

export function selectionLabel(selection: DisconnectSelection): string {
  if (selection.kind === 'filter') {
    const expression = formatFilterExpression(selection.filter) || 'everyone';
    const except = selection.exceptIds.length > 0 ? ` except ${selection.exceptIds.length} unticked` : '';
    return `filter ${expression}${except}`.slice(0, 200);
  }
  if (selection.kind === 'ids') return `${selection.userIds.length} selected users`;
  return 'a list of ids/emails';
}

/** Selection, preview, dry run and the creation of force-disconnect jobs; the engine runs them. */
export class DisconnectService {
  readonly #options: DisconnectServiceOptions;
  readonly #now: () => Date;

  constructor(options: DisconnectServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Re-reads the platform (not only the cache) and says who would be disconnected and who not, and why. */
  async preview(
    selection: DisconnectSelection,
    signal?: AbortSignal,
  ): Promise<{ preview: DisconnectPreview; eligible: Connection[] }> {
    const [fresh, migration] = await Promise.all([
      readFreshRoster(this.#options.platform, this.#now, signal),
      this.#options.migration(),
    ]);
    const now = this.#now();
    const byVerdict = selection.kind === 'filter' && selection.filter.verdict !== undefined;
    const resolved = resolveSelection(
      selection,
      fresh,
      now,
      byVerdict ? (this.#options.verdicts?.() ?? null) : null,
    );
    return buildPreview(resolved, {
      readAt: fresh.readAt,
      cutoffAt: migration.cutoffAt,
      timezone: migration.timezone,
      now,
      ...(this.#options.cachedStatus === undefined ? {} : { cachedStatus: this.#options.cachedStatus }),
    });
  }

  async dryRun(
    selection: DisconnectSelection,
  ): Promise<{ preview: DisconnectPreview; filename: string; rowCount: number; csv: string }> {
    const { preview, eligible } = await this.preview(selection);
    return {
      preview,
      filename: `force-disconnect-dry-run-${this.#now().toISOString().slice(0, 10)}.csv`,
      rowCount: eligible.length,
      csv: csvOf(
        ['userId', 'email', 'firstName', 'lastName', 'role', 'status', 'etag'],
        eligible.map((u) => [u.userId, u.email, u.firstName, u.lastName, u.role, u.status, u.etag]),
      ),
    };
  }

  /**
   * Persists the job (before anything runs): its parameters, the resolved users and the etag seen
   * for each. The typed count must equal the fresh eligible count, else the operator previews again.
   */
  async create(
    input: {
      selection: DisconnectSelection;
      reason: string;
      confirmCount: number;
      at: 'cutoff' | string | null;
    },
    by: { createdBy: string; createdByName: string | null },
  ): Promise<JobRecord> {
    const { preview, eligible } = await this.preview(input.selection);
    if (eligible.length === 0)
      throw new ConsoleError(
        'conflict',
        'Nobody in this selection is still on the legacy connection: there is nobody to disconnect.',
      );
    if (input.confirmCount !== eligible.length)
      throw new ConsoleError(
        'conflict',
        `The count changed: ${eligible.length.toLocaleString('en-US')} users are eligible now, not ${input.confirmCount.toLocaleString('en-US')}. Look at the preview again and confirm the new count.`,
      );
    let scheduledAt: string | null = null;
    if (input.at === 'cutoff') scheduledAt = new Date(preview.cutoffAt).toISOString();
    else if (input.at !== null) {
      const at = Date.parse(input.at);
      if (!(at > this.#now().getTime()))
        throw new ConsoleError('bad_input', `The scheduled time ${input.at} is not in the future.`);
      scheduledAt = new Date(at).toISOString();
    }
    if (scheduledAt !== null && Date.parse(scheduledAt) <= this.#now().getTime())
      throw new ConsoleError(
        'bad_input',
        'The cut-off has passed: run the disconnect now instead of scheduling it.',
      );
    const params: DisconnectParams = {
      reason: input.reason,
      selectionLabel: selectionLabel(input.selection),
    };
    return this.#options.engine.create({
      kind: DISCONNECT_KIND,
      params: { ...params },
      createdBy: by.createdBy,
      createdByName: by.createdByName,
      scheduledAt,
      items: eligible.map((user) => ({
        target: user.userId,
        personal: {
          email: user.email,
          name: [user.preferredName ?? user.firstName, user.lastName].filter(Boolean).join(' '),
        },
        facts: { etag: user.etag, role: user.role, status: user.status },
      })),
    });
  }
}
