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

const SMALL = 10_000;
const LARGE = Number(process.env['BENCH_MAIL_LARGE'] ?? 100_000);

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

try {
  const small = await run(SMALL);
  const large = await run(LARGE);
  console.log(
    JSON.stringify(
      {
        messagesPerSecond: Math.round(large.written / large.seconds),
        peakRssMb10k: small.peakRssMb,
        peakRssMb100k: large.peakRssMb,
        messages10k: small.written,
        messages100k: large.written,
        seconds10k: Math.round(small.seconds * 10) / 10,
        seconds100k: Math.round(large.seconds * 10) / 10,
        rssGrowthRatio: Math.round((large.peakRssMb / small.peakRssMb) * 1000) / 1000,
        heldBack100k: LARGE - large.written,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(base, { recursive: true, force: true });
}
