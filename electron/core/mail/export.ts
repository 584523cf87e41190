import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { ExportFormat } from '../../../shared/contract/mail.ts';
import type { Connection } from '../../../shared/domain/platform.ts';
import { displayName, mergeValues, type MessageContext } from '../../../shared/mail/recipient.ts';
import { neutralizeFormula } from '../roster/export/roster-csv.ts';
import type { Audience } from './audience.ts';
import type { CompiledTemplate } from './compile.ts';
import { buildEml, newMessageId, type MailAddress } from './eml.ts';
import { renderMessage } from './render.ts';

/** What the platform gave for a batch of users: a link per user id, and how many failed. */
export interface MagicLinkBatch {
  links: Map<string, { url: string; expiresAt: string }>;
  failed: number;
}

export type MagicLinkSource = (userIds: string[]) => Promise<MagicLinkBatch>;

export interface ExportJob {
  template: CompiledTemplate;
  context: MessageContext;
  format: ExportFormat;
  /** An empty folder this export owns. */
  folder: string;
  from: MailAddress | null;
  /** The candidates, in order; called once (the audience has already seen them). */
  rows: Iterable<Connection>;
  audience: Audience;
  /** Null when magic links are left out (offline, or the template does not use them). */
  magicLinks: MagicLinkSource | null;
  now: () => Date;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
  /** The users of each batch once their messages are written (the announcement's recipients). */
  onWritten?: (userIds: string[]) => void;
}

export interface ExportOutcome {
  written: number;
  excluded: number;
  linksCreated: number;
  linksFailed: number;
  /** The earliest expiry of the links written (what the operator must beat). */
  linksExpireAt: string | null;
}

/** The platform's batch limit for magic links, and the unit the export streams in. */
export const BATCH_SIZE = 500;
/** Files written at once within a batch. */
const WRITE_CONCURRENCY = 16;

const CSV_FIELDS = [
  'userId',
  'email',
  'name',
  'FirstName',
  'LastName',
  'MagicLink',
  'MagicLinkExpiresAt',
  'ReauthorizeUrl',
  'HelpUrl',
  'CutoffDate',
  'subject',
] as const;

const EXCLUDED_FIELDS = ['userId', 'email', 'name', 'reason'] as const;

async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** A file name that sorts in audience order and names the user, with nothing a file system could mind. */
function fileName(index: number, userId: string, extension: string): string {
  return `${String(index).padStart(7, '0')}-${userId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80)}.${extension}`;
}

/**
 * Writes one announcement export, streaming: candidates are read one at a time, recipients go out in
 * batches of 500 (one magic-link request each), and each batch is rendered and written before the
 * next is read, so memory stays flat whatever the audience size. Every file is created new (`wx`)
 * and readable by the operator only; magic links exist only in the files written and are never
 * logged. Users held back (duplicates, no address, suppressed) are listed in `excluded.csv`.
 */
export async function writeExport(job: ExportJob): Promise<ExportOutcome> {
  const outcome: ExportOutcome = {
    written: 0,
    excluded: 0,
    linksCreated: 0,
    linksFailed: 0,
    linksExpireAt: null,
  };
  const excludedStream = createWriteStream(join(job.folder, 'excluded.csv'), { flags: 'wx', mode: 0o600 });
  const csvStream =
    job.format === 'csv'
      ? createWriteStream(join(job.folder, 'recipients.csv'), { flags: 'wx', mode: 0o600 })
      : null;
  try {
    // A BOM so spreadsheet programs read UTF-8 names correctly.
    await write(excludedStream, `\uFEFF${Papa.unparse({ fields: [...EXCLUDED_FIELDS], data: [] })}\r\n`);
    if (csvStream !== null)
      await write(csvStream, `\uFEFF${Papa.unparse({ fields: [...CSV_FIELDS], data: [] })}\r\n`);
    let batch: Connection[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      await writeBatch(job, current, outcome, csvStream);
      job.onProgress?.(outcome.written);
    };
    for (const row of job.rows) {
      job.signal?.throwIfAborted();
      const reason = job.audience.exclusion(row);
      if (reason !== null) {
        outcome.excluded += 1;
        const cells = [row.userId, row.email, displayName(row), reason].map((v) =>
          neutralizeFormula(v.slice(0, 1000)),
        );
        await write(excludedStream, `${Papa.unparse([cells])}\r\n`);
        continue;
      }
      batch.push(row);
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await flush();
  } finally {
    await closeStream(excludedStream);
    if (csvStream !== null) await closeStream(csvStream);
  }
  return outcome;
}

async function writeBatch(
  job: ExportJob,
  rows: Connection[],
  outcome: ExportOutcome,
  csvStream: WriteStream | null,
): Promise<void> {
  let links: MagicLinkBatch['links'] = new Map();
  if (job.magicLinks !== null) {
    const batch = await job.magicLinks(rows.map((row) => row.userId));
    links = batch.links;
    outcome.linksFailed += batch.failed;
    outcome.linksCreated += batch.links.size;
    for (const { expiresAt } of batch.links.values())
      if (outcome.linksExpireAt === null || expiresAt < outcome.linksExpireAt)
        outcome.linksExpireAt = expiresAt;
  }
  const date = job.now();
  const start = outcome.written;
  const render = async (row: Connection, index: number): Promise<string | null> => {
    const link = links.get(row.userId) ?? null;
    const values = mergeValues(row, job.context, link?.url ?? null);
    const message = renderMessage(job.template, values);
    switch (job.format) {
      case 'eml': {
        const eml = await buildEml(message, {
          from: job.from,
          to: { name: displayName(row), address: row.email.trim() },
          date,
          messageId: newMessageId(job.from),
        });
        await writeFile(join(job.folder, fileName(index, row.userId, 'eml')), eml, {
          flag: 'wx',
          mode: 0o600,
        });
        return null;
      }
      case 'html':
        await writeFile(join(job.folder, fileName(index, row.userId, 'html')), message.html, {
          flag: 'wx',
          mode: 0o600,
        });
        return null;
      case 'csv': {
        const cells = [
          row.userId,
          row.email.trim(),
          displayName(row),
          values.FirstName,
          values.LastName,
          values.MagicLink,
          link?.expiresAt ?? '',
          values.ReauthorizeUrl,
          values.HelpUrl,
          values.CutoffDate,
          message.subject,
        ].map(neutralizeFormula);
        return Papa.unparse([cells]);
      }
    }
  };
  const lines: Array<string | null> = new Array(rows.length).fill(null);
  for (let i = 0; i < rows.length; i += WRITE_CONCURRENCY) {
    job.signal?.throwIfAborted();
    const slice = rows.slice(i, i + WRITE_CONCURRENCY);
    const results = await Promise.all(slice.map((row, j) => render(row, start + i + j + 1)));
    results.forEach((line, j) => (lines[i + j] = line));
  }
  if (csvStream !== null) await write(csvStream, `${lines.join('\r\n')}\r\n`);
  outcome.written += rows.length;
  job.onWritten?.(rows.map((row) => row.userId));
}
