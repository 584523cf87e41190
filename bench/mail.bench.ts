/**
 * Announcement export benchmark. Prints ONE JSON document on stdout (bench/run.ts collects it).
 *
 * Renders and writes one .eml per recipient (nodemailer's MailComposer, the built-in re-authorize
 * template: Markdown, every merge field, links) for 10,000 and then 100,000 recipients of a
 * synthetic roster, through the same streaming export the console uses (writeExport). Magic links
 * are left out (no platform round trips: this measures rendering and writing). Figures:
 * - messagesPerSecond: the 100,000 run's messages / wall-clock second;
 * - peakRssMb10k / peakRssMb100k: the process's peak resident memory after each run (the roster
 *   of 100,000 users is loaded before both, so the difference is what the export itself grows by).
 * BENCH_MAIL_LARGE overrides the large run's size (e.g. for a quick check on a loaded machine).
 *
 * Then sends BENCH_MAIL_SEND (2,000) messages through the console's delivery job to the sandbox's
 * Graph (`POST /me/sendMail`, one recipient each, magic link and eligibility check per message),
 * with one clock shared by the sandbox's Exchange windows and the console's Graph budget, running
 * BENCH_MAIL_SEND_FACTOR (25) times faster than real time (at 100× the console and the in-process
 * sandbox must do 50 messages, some 150 HTTP requests, per real second: a loaded machine then
 * loses sandbox time to its own slowness; docs/performance.md). BENCH_MAIL_ONLY=export|send runs
 * one part. Figures:
 * - sendRatioToLimit: messages per minute of sandbox time, from the job's start to its last
 *   message, divided by Exchange's 30 (target ≥ 0.9);
 * - sendThrottled: 429 replies the sandbox gave during the send (Graph's sendMail; the platform's
 *   rate limit is set far above what the job uses, so any 429 is sendMail's) (target 0).
 */
import { mkdtempSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../shared/domain/platform.ts';
import { Audience } from '../electron/core/mail/audience.ts';
import { compileTemplate } from '../electron/core/mail/compile.ts';
import { BUILT_IN_TEMPLATES } from '../electron/core/mail/default-templates.ts';
import { writeExport } from '../electron/core/mail/export.ts';
import { RosterQueryEngine } from '../electron/core/roster/query/roster-query-engine.ts';
import { syntheticRoster } from '../electron/core/roster/query/synthetic-roster.ts';
import { engineRosterAccess } from '../electron/core/mail/roster-access.ts';
import { deliveryHarness } from '../electron/core/mail/delivery/test-support/delivery-harness.ts';

const SMALL = 10_000;
/** `export` or `send` runs only that part (the other's figures are then absent). */
const ONLY = process.env['BENCH_MAIL_ONLY'];
const LARGE = ONLY === 'send' ? 0 : Number(process.env['BENCH_MAIL_LARGE'] ?? 100_000);

const peakRssMb = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

const rows = syntheticRoster(LARGE);
const engine = RosterQueryEngine.from(rows);
rows.length = 0;
const roster = engineRosterAccess(
  () => engine,
  () => true,
);
const allIds = roster.ids({});
const template = BUILT_IN_TEMPLATES[0] as (typeof BUILT_IN_TEMPLATES)[number];
const compiled = compileTemplate(template, {
  university: 'Example State University',
  cutoffDate: 'December 15, 2026',
});
const context = {
  fallbackFirstName: 'there',
  reauthorizeUrl: 'https://careers.example.edu/account-settings/calendar-sync',
  helpUrl: 'https://careers.example.edu/help/reauthorizing-calendar-sync',
  cutoffDate: 'December 15, 2026',
};
const base = mkdtempSync(join(tmpdir(), 'bench-mail-'));

async function run(count: number): Promise<{ written: number; seconds: number; peakRssMb: number }> {
  const ids = allIds.slice(0, count);
  // Streamed like the console's export: one row at a time from the roster, by id.
  const source = function* (): Iterable<Connection> {
    for (const id of ids) {
      const row = engine.get(id);
      if (row !== undefined) yield row;
    }
  };
  const audience = new Audience({ suppressed: new Set(), internalDomains: ['example.edu'] });
  for (const row of source()) audience.observe(row);
  const folder = join(base, `run-${count}`);
  mkdirSync(folder);
  const started = performance.now();
  const outcome = await writeExport({
    template: compiled,
    context,
    format: 'eml',
    folder,
    from: { name: 'Career Center, Example State University', address: 'careers@example.edu' },
    rows: source(),
    audience,
    magicLinks: null,
    now: () => new Date(),
  });
  const seconds = (performance.now() - started) / 1000;
  const files = readdirSync(folder).length;
  if (files !== outcome.written + 1) throw new Error(`expected ${outcome.written + 1} files, found ${files}`);
  const peak = peakRssMb();
  rmSync(folder, { recursive: true, force: true });
  return { written: outcome.written, seconds, peakRssMb: peak };
}

const SEND = Number(process.env['BENCH_MAIL_SEND'] ?? 2_000);
const SEND_FACTOR = Number(process.env['BENCH_MAIL_SEND_FACTOR'] ?? 25);

async function send(): Promise<Record<string, number>> {
  const h = await deliveryHarness({ factor: SEND_FACTOR, users: Math.max(600, SEND * 3) });
  try {
    const eligible = h.everyone.filter((c) =>
      ['legacy', 'reauth_pending', 'disconnected'].includes(c.status),
    );
    if (eligible.length < SEND)
      throw new Error(`only ${eligible.length} eligible users for ${SEND} messages`);
    h.setRoster(eligible.slice(0, SEND));
    const before = h.sandbox.stats.snapshot().requests.byStatus['429'] ?? 0;
    const startedAt = h.clock.now();
    const realStart = performance.now();
    const job = await h.service.start(
      {
        template: { name: template.name, subject: template.subject, body: template.body },
        audience: { filter: { status: ['legacy', 'reauth_pending', 'disconnected'] } },
        mode: 'send',
      },
      { transport: 'test', operator: { id: 'bench', role: 'director' } },
    );
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const progress = h.engine().progress(job.id);
      if (progress.state !== 'running' || !h.engine().isRunningHere(job.id)) {
        if (progress.state !== 'completed')
          throw new Error(`the send job ended ${progress.state}: ${progress.job.stateReason ?? ''}`);
        break;
      }
    }
    const items = h.store.items(job.id);
    const sent = items.filter((i) => i.outcome === 'sent').length;
    const lastAt = Math.max(...items.map((i) => Date.parse(i.finishedAt ?? '0')));
    const minutes = (lastAt - startedAt) / 60_000;
    const perRecipient = await h.perRecipient();
    return {
      sendRatioToLimit: Math.round((sent / minutes / 30) * 1000) / 1000,
      sendThrottled: (h.sandbox.stats.snapshot().requests.byStatus['429'] ?? 0) - before,
      sendMessages: sent,
      sendSandboxMinutes: Math.round(minutes * 10) / 10,
      sendRealSeconds: Math.round((performance.now() - realStart) / 100) / 10,
      sendClockFactor: SEND_FACTOR,
      sendMaxPerRecipient: Math.max(...Object.values(perRecipient)),
    };
  } finally {
    await h.close();
  }
}

try {
  const exporting =
    ONLY === 'send'
      ? null
      : await (async () => {
          const small = await run(SMALL);
          const large = await run(LARGE);
          return {
            messagesPerSecond: Math.round(large.written / large.seconds),
            peakRssMb10k: small.peakRssMb,
            peakRssMb100k: large.peakRssMb,
            messages10k: small.written,
            messages100k: large.written,
            seconds10k: Math.round(small.seconds * 10) / 10,
            seconds100k: Math.round(large.seconds * 10) / 10,
            rssGrowthRatio: Math.round((large.peakRssMb / small.peakRssMb) * 1000) / 1000,
            heldBack100k: LARGE - large.written,
          };
        })();
  const sending = ONLY === 'export' ? null : await send();
  console.log(JSON.stringify({ ...exporting, ...sending }, null, 2));
} finally {
  rmSync(base, { recursive: true, force: true });
}
