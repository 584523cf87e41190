import type { Troubleshooting } from '../../../shared/contract/verify.ts';
import { UsageError, type Command } from '../command.ts';
import { GRAPH_APP_OPTIONS, openVerifyCore } from './verify-session.ts';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: "Diagnoses one user's calendar connection and says what to do next.",
  details:
    '--user takes a user id or an email address. Without --json it prints the support summary (plain\n' +
    'text for a ticket: no secrets, no magic links). With --json: {connection, diagnoses: [{code, severity,\n' +
    'explanation, nextStep, checkAgainAt}], notes, timeline, syncLog, latestVerification, supportSummary}.\n' +
    'Add --verify to run a verification first (Graph options as for "verify"). Codes: docs/diagnosis.md.\n' +
    'Exit code 0, or 1 when a diagnosis has severity "error" or the user was not found.',
  options: {
    user: { type: 'string', valueName: 'ID|EMAIL', description: 'The user (id or email address).' },
    verify: {
      type: 'boolean',
      description: 'Verify the user’s synced items first, so the diagnosis includes it.',
    },
    ...GRAPH_APP_OPTIONS,
  },
  async run(context) {
    const raw = context.values['user'];
    if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError('--user ID|EMAIL is required.');
    const who = raw.trim();
    const session = await openVerifyCore(context);
    try {
      let userId = who;
      if (who.includes('@')) {
        const found = await session.call('support.findUsers', { q: who, limit: 50 });
        const exact = found.items.filter((u) => u.email.toLowerCase() === who.toLowerCase());
        if (exact.length !== 1) {
          context.out.result(
            { error: { code: 'not_found', message: `No user with the email ${who}.` } },
            `No user with the email ${who}.`,
          );
          return 1;
        }
        userId = exact[0]?.userId ?? who;
      }
      if (context.values['verify'] === true) await session.call('verify.user', { userId });
      const report: Troubleshooting = await session.call('support.troubleshoot', { userId });
      const worst = report.diagnoses.some((d) => d.severity === 'error');
      context.out.result(report, report.supportSummary);
      return worst ? 1 : 0;
    } finally {
      await session.close();
    }
  },
};
