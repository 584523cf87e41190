import {
  ConsoleError,
  MAX_ROSTER_WINDOW,
  type RosterFilter,
  type UserVerification,
} from '../../../shared/contract/index.ts';
import { writeFileSync } from 'node:fs';
import { verificationCsv } from '../../core/verify/report-csv.ts';
import type { CliCore } from '../cli-core.ts';
import { FILTER_KEYS } from '../../core/roster/filter-expression.ts';
import { readFilterOption } from '../filter-option.ts';
import { UsageError, type Command } from '../command.ts';
import { intOption } from '../globals.ts';
import { GRAPH_APP_OPTIONS, openVerifyCore } from './verify-session.ts';

const CLASS_ORDER = [
  'missing',
  'id_changed',
  'mismatch',
  'duplicate',
  'legacy_id',
  'unverified',
  'ok',
] as const;

function countsText(r: Pick<UserVerification, 'counts'>): string {
  return CLASS_ORDER.filter((k) => (r.counts[k] ?? 0) > 0)
    .map((k) => `${r.counts[k]} ${k}`)
    .join(', ');
}

export function describeVerification(r: UserVerification): string {
  const lines = [`${r.userId}: ${r.verdict.replace('_', ' ')}${countsText(r) ? ` (${countsText(r)})` : ''}`];
  if (r.error) lines.push(`  ${r.error}`);
  for (const item of r.items) {
    if (item.class === 'ok') continue;
    lines.push(
      `  ${item.class.padEnd(10)} ${item.itemId}: ${item.detail}${item.newId ? ` New id: ${item.newId}` : ''}`,
    );
  }
  for (const note of r.notChecked) lines.push(`  Not checked: ${note}`);
  return lines.join('\n');
}

/** The users a roster filter matches, from the roster brought up to date through the core. */
async function usersMatching(core: CliCore, filter: RosterFilter, limit: number): Promise<string[]> {
  const state = await core.call('roster.sync', { mode: 'incremental', wait: true });
  if (state.lastError !== null) throw new ConsoleError('unavailable', state.lastError);
  const ids: string[] = [];
  const now = new Date().toISOString();
  for (let offset = 0; ids.length < limit; offset += MAX_ROSTER_WINDOW) {
    const page = await core.call('roster.query', {
      filter,
      sort: { field: 'userId', direction: 'asc' },
      offset,
      limit: MAX_ROSTER_WINDOW,
      now,
    });
    ids.push(...page.rows.map((r) => r.userId));
    if (offset + page.rows.length >= page.total || page.rows.length === 0) break;
  }
  return ids.slice(0, limit);
}

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    "Checks that users' synced items are still on their calendars, unchanged and under their stored ids.",
  details:
    'One user (--user ID) or every user matching --filter EXPR (the roster filter language: ' +
    `${FILTER_KEYS.join(', ')}).\n` +
    'Graph access: --graph-token-env VAR, or --graph-tenant, --graph-client-id and --graph-client-secret-env VAR;\n' +
    "in demo mode the sandbox's verifier app. Without Graph access the check is platform-only and says so.\n" +
    'JSON (--json): one user → {userId, verdict, counts, …, items: [{userId, itemId, externalEventId, class, detail, newId?}]};\n' +
    'a filter → {users: [{userId, verdict, counts, notChecked, error}], items: [every item], byVerdict}.\n' +
    'Exit code 0 when every user could be verified (anomalies included), 1 when a user could not be.\n' +
    'A --filter over many users takes a while (Graph allows 4 requests per mailbox at once): raise --deadline,\n' +
    'e.g. --deadline 3600.',
  options: {
    user: { type: 'string', valueName: 'ID', description: 'The user to verify.' },
    filter: {
      type: 'string',
      valueName: 'EXPR',
      description: 'Verify every user matching this roster filter.',
    },
    limit: { type: 'string', valueName: 'N', description: 'With --filter: at most N users (default: all).' },
    csv: {
      type: 'string',
      valueName: 'FILE',
      description: 'Also write the report as CSV (one row per item) to FILE.',
    },
    ...GRAPH_APP_OPTIONS,
  },
  async run(context) {
    const { values } = context;
    const user = typeof values['user'] === 'string' ? values['user'].trim() : undefined;
    const expression = typeof values['filter'] === 'string' ? values['filter'] : undefined;
    if ((user === undefined) === (expression === undefined))
      throw new UsageError('Give exactly one of --user ID or --filter EXPR.');
    if (user === '') throw new UsageError('--user needs a user id.');
    const limit = intOption(values, 'limit', 1, 10_000_000);
    const csvFile = typeof values['csv'] === 'string' && values['csv'] !== '' ? values['csv'] : undefined;
    const option = expression === undefined ? undefined : readFilterOption(expression);
    const session = await openVerifyCore(context);
    try {
      if (session.graphKind === 'none')
        context.out.log('No Graph access given: this is a platform-only check.');
      if (user !== undefined) {
        const result = await session.call('verify.user', { userId: user });
        if (csvFile !== undefined)
          writeFileSync(csvFile, verificationCsv([result]), { encoding: 'utf8', mode: 0o600 });
        context.out.result(result, describeVerification(result));
        return result.verdict === 'failed' ? 1 : 0;
      }
      const filter = (await option?.resolve(() => session.call('migration.overview', {}))) ?? {};
      const ids = await usersMatching(session, filter, limit ?? Infinity);
      context.out.log(`Verifying ${ids.length.toLocaleString('en-US')} users…`);
      const users: UserVerification[] = [];
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const userId = ids[next++] as string;
          users.push(await session.call('verify.user', { userId }));
          if (users.length % 100 === 0) context.out.log(`${users.length} of ${ids.length} verified`);
        }
      };
      await Promise.all(Array.from({ length: Math.min(16, Math.max(1, ids.length)) }, worker));
      users.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
      if (csvFile !== undefined)
        writeFileSync(csvFile, verificationCsv(users), { encoding: 'utf8', mode: 0o600 });
      const byVerdict: Record<string, number> = {};
      for (const u of users) byVerdict[u.verdict] = (byVerdict[u.verdict] ?? 0) + 1;
      const document = {
        users: users.map(({ userId, verdict, counts, notChecked, error }) => ({
          userId,
          verdict,
          counts,
          notChecked,
          error,
        })),
        items: users.flatMap((u) => u.items),
        byVerdict,
      };
      const human = [
        `${users.length} users: ${Object.entries(byVerdict)
          .map(([v, n]) => `${n} ${v.replace('_', ' ')}`)
          .join(', ')}`,
        ...users.filter((u) => u.verdict !== 'ok').map(describeVerification),
      ].join('\n');
      context.out.result(document, human);
      return users.some((u) => u.verdict === 'failed') ? 1 : 0;
    } finally {
      await session.close();
    }
  },
};
