import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { z } from 'zod';

/**
 * `npm run electronegativity`: Doyensec's Electronegativity over the app's own sources, as a CI
 * gate. Exit 0 when every HIGH or MEDIUM finding is on `.electronegativity-allowlist.json` with a
 * reason; 1 when one is not; 2 when the scan itself could not be trusted (tool failure, a file it
 * could not parse, a malformed allowlist).
 *
 * The tool runs through its programmatic API rather than its CLI because the CLI's SARIF carries
 * no severity (only note/warning) and its start-up fetches translations and Electron release
 * lists from the network; here it runs offline, with the installed Electron version, and the
 * report it writes (electronegativity-report.sarif) carries severity and confidence per result.
 */

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
const BLOCKING: ReadonlySet<Severity> = new Set(['HIGH', 'MEDIUM']);

export interface Finding {
  check: string;
  /** Project-relative, forward slashes; "N/A" for app-wide checks. */
  file: string;
  line: number;
  column: number;
  severity: Severity;
  confidence: string;
  manualReview: boolean;
  message: string;
}

export class GateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateError';
  }
}

// ---------------------------------------------------------------- SARIF

const SeveritySchema = z.enum(['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']);

const SarifResult = z.object({
  ruleId: z.string().min(1),
  level: z.enum(['error', 'warning', 'note', 'none']).optional(),
  message: z.object({ text: z.string() }),
  locations: z
    .array(
      z.object({
        physicalLocation: z.object({
          artifactLocation: z.object({ uri: z.string() }),
          region: z
            .object({ startLine: z.number().int().min(1), startColumn: z.number().int().min(1).optional() })
            .optional(),
        }),
      }),
    )
    .optional(),
  properties: z.object({ severity: SeveritySchema, confidence: z.string(), manualReview: z.boolean() }),
});

const SarifLog = z.object({
  version: z.literal('2.1.0'),
  runs: z.array(z.object({ results: z.array(SarifResult) })).min(1),
});

const NO_FILE = 'N/A';

export function parseSarif(text: string): Finding[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GateError('The SARIF report is not valid JSON.');
  }
  const parsed = SarifLog.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GateError(
      `The SARIF report has an unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`,
    );
  }
  return parsed.data.runs.flatMap((run) =>
    run.results.map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      return {
        check: result.ruleId,
        file: location?.artifactLocation.uri ?? NO_FILE,
        line: location?.region?.startLine ?? 1,
        column: location?.region?.startColumn ?? 1,
        severity: result.properties.severity,
        confidence: result.properties.confidence,
        manualReview: result.properties.manualReview,
        message: result.message.text,
      };
    }),
  );
}

/** Electronegativity's in-memory issue, as its runner returns it. */
export interface ToolIssue {
  id: string;
  file: string;
  location?: { line?: number; column?: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview?: boolean;
  description: string;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFORMATIONAL: 'note',
};

/** SARIF 2.1.0 with a meaningful `level` and the tool's severity and confidence kept as properties. */
export function toSarif(issues: readonly ToolIssue[], toolVersion: string): string {
  const rules = new Map<string, string>();
  const results = issues.map((issue) => {
    const severity = SeveritySchema.parse(issue.severity.name);
    if (!rules.has(issue.id)) rules.set(issue.id, issue.description);
    const file = issue.file === NO_FILE ? NO_FILE : issue.file.split(sep).join('/');
    return {
      ruleId: issue.id,
      level: SARIF_LEVEL[severity],
      message: { text: issue.description },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: file },
            region: {
              startLine: Math.max(1, issue.location?.line ?? 1),
              startColumn: (issue.location?.column ?? 0) + 1,
            },
          },
        },
      ],
      properties: { severity, confidence: issue.confidence.name, manualReview: issue.manualReview ?? false },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Electronegativity',
            version: toolVersion,
            informationUri: 'https://github.com/doyensec/electronegativity',
            rules: [...rules].map(([id, text]) => ({
              id,
              shortDescription: { text },
              helpUri: `https://github.com/doyensec/electronegativity/wiki/${id}`,
            })),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

// ---------------------------------------------------------------- allowlist

const AllowlistEntry = z
  .object({
    check: z.string().min(1),
    file: z.string().min(1),
    reason: z.string().trim().min(20, 'say why this finding is a false positive (20 characters at least)'),
  })
  .strict();
export const Allowlist = z.object({ entries: z.array(AllowlistEntry) }).strict();
export type Allowlist = z.infer<typeof Allowlist>;
export type AllowlistEntry = z.infer<typeof AllowlistEntry>;

export function parseAllowlist(text: string): Allowlist {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GateError('.electronegativity-allowlist.json is not valid JSON.');
  }
  const parsed = Allowlist.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GateError(
      `.electronegativity-allowlist.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export type Verdict = 'blocking' | 'allowlisted' | 'below-threshold';

export interface GateResult {
  rows: Array<{ finding: Finding; verdict: Verdict; reason: string | null }>;
  blocking: Finding[];
  /** Entries that matched nothing: stale, and worth deleting. */
  unusedEntries: AllowlistEntry[];
}

/** A finding blocks when it is HIGH or MEDIUM and no entry names both its check and its file. */
export function gate(findings: readonly Finding[], allowlist: Allowlist): GateResult {
  const used = new Set<AllowlistEntry>();
  const rows = findings.map((finding) => {
    if (!BLOCKING.has(finding.severity))
      return { finding, verdict: 'below-threshold' as const, reason: null };
    const entry = allowlist.entries.find(
      (candidate) => candidate.check === finding.check && candidate.file === finding.file,
    );
    if (!entry) return { finding, verdict: 'blocking' as const, reason: null };
    used.add(entry);
    return { finding, verdict: 'allowlisted' as const, reason: entry.reason };
  });
  return {
    rows,
    blocking: rows.filter((row) => row.verdict === 'blocking').map((row) => row.finding),
    unusedEntries: allowlist.entries.filter((entry) => !used.has(entry)),
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };

export function formatTable(result: GateResult): string {
  const rows = [...result.rows].sort(
    (a, b) =>
      SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
      a.finding.file.localeCompare(b.finding.file) ||
      a.finding.line - b.finding.line,
  );
  const table = [['severity', 'confidence', 'check', 'where', 'verdict']].concat(
    rows.map(({ finding, verdict }) => [
      finding.severity,
      finding.confidence,
      finding.check,
      finding.file === NO_FILE ? '(app-wide)' : `${finding.file}:${finding.line}`,
      verdict === 'blocking' ? 'BLOCKING' : verdict,
    ]),
  );
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length))) ?? [];
  return table
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// ---------------------------------------------------------------- running the tool

/** What gets scanned: the shipped sources of the main process, preload and renderer. Tests are not shipped. */
export const SCAN_ROOTS = ['electron', 'renderer'] as const;
const SCANNED_EXTENSIONS = /\.(ts|tsx|js|cjs|mjs|jsx|html|htm|json)$/;
const SKIPPED = /(^|\/)(node_modules|test-support|__fixtures__)(\/|$)|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Copies the files to scan into `staging`, keeping their project-relative paths. */
export function stageSources(
  projectRoot: string,
  staging: string,
  roots: readonly string[] = SCAN_ROOTS,
): number {
  let count = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const rel = relative(projectRoot, full).split(sep).join('/');
      if (SKIPPED.test(rel)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (SCANNED_EXTENSIONS.test(name)) {
        cpSync(full, join(staging, rel));
        count += 1;
      }
    }
  };
  for (const root of roots) if (existsSync(join(projectRoot, root))) walk(join(projectRoot, root));
  return count;
}

const localRequire = createRequire(import.meta.url);

export interface ScanOutcome {
  issues: ToolIssue[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  toolVersion: string;
}

/**
 * Runs Electronegativity over `input`. AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is skipped: it
 * downloads Electron's release list, and the Electron version is pinned and upgraded on purpose.
 */
export async function runElectronegativity(input: string, electronVersion: string): Promise<ScanOutcome> {
  const packageJson = localRequire.resolve('@doyensec/electronegativity/package.json');
  const toolRequire = createRequire(packageJson);
  const toolVersion = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  // The tool's messages come from i18n registered on the global object; configure it from the
  // bundled English file instead of letting the CLI fetch translations over the network.
  const i18n = toolRequire('i18n') as { configure(options: object): void; setLocale(locale: string): void };
  i18n.configure({
    locales: ['en-US'],
    defaultLocale: 'en-US',
    directory: join(dirname(packageJson), 'dist', 'locales'),
    updateFiles: false,
    objectNotation: true,
    retryInDefaultLocale: true,
    register: globalThis,
  });
  i18n.setLocale('en-US');
  keepToolOffline(packageJson);
  const run = toolRequire('./dist/runner.js') as (
    options: object,
    forCli: boolean,
  ) => Promise<Omit<ScanOutcome, 'toolVersion'>>;
  const result = await run(
    {
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  return { ...result, toolVersion };
}

/**
 * The runner asks `got` for fresh translations on every run; offline, got's retry timer then
 * throws from p-cancelable ("onCancel handler was attached after the promise settled") and
 * kills the process after the report is printed, whatever the verdict. The tool's translation
 * module is therefore handed a `got` that answers "no update" at once, so no request is made.
 */
function keepToolOffline(toolPackageJson: string): void {
  const translationsModule = join(dirname(toolPackageJson), 'dist', 'locales', 'i18n.js');
  const gotPath = createRequire(translationsModule).resolve('got');
  const offlineGot = async (): Promise<{ statusCode: number; body: string }> => ({
    statusCode: 503,
    body: '',
  });
  localRequire.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: offlineGot,
  } as unknown as NodeJS.Module;
}

export function installedElectronVersion(projectRoot: string): string {
  const file = join(projectRoot, 'node_modules', 'electron', 'package.json');
  try {
    return z.object({ version: z.string().min(1) }).parse(JSON.parse(readFileSync(file, 'utf8'))).version;
  } catch {
    throw new GateError(`Cannot read the installed Electron version from ${file}.`);
  }
}

export interface GateRun {
  exitCode: 0 | 1 | 2;
  report: string;
}

export async function runGate(
  projectRoot: string,
  options: { sarifPath?: string; allowlistPath?: string } = {},
): Promise<GateRun> {
  const sarifPath = options.sarifPath ?? join(projectRoot, 'electronegativity-report.sarif');
  const allowlistPath = options.allowlistPath ?? join(projectRoot, '.electronegativity-allowlist.json');
  const lines: string[] = [];
  try {
    const allowlist = existsSync(allowlistPath)
      ? parseAllowlist(readFileSync(allowlistPath, 'utf8'))
      : { entries: [] };
    const staging = mkdtempSync(join(tmpdir(), 'electronegativity-'));
    try {
      const files = stageSources(projectRoot, staging);
      const outcome = await runElectronegativity(staging, installedElectronVersion(projectRoot));
      writeFileSync(sarifPath, toSarif(outcome.issues, outcome.toolVersion));
      const result = gate(parseSarif(readFileSync(sarifPath, 'utf8')), allowlist);
      lines.push(
        `Electronegativity ${outcome.toolVersion}: ${files} files scanned, ${result.rows.length} findings (SARIF: ${relative(projectRoot, sarifPath)})`,
      );
      if (result.rows.length > 0) lines.push('', formatTable(result));
      for (const entry of result.unusedEntries)
        lines.push(
          `note: allowlist entry ${entry.check} @ ${entry.file} matched nothing; delete it if the code changed.`,
        );
      const unparsed = outcome.errors.filter((error) => !error.tolerable);
      for (const error of unparsed)
        lines.push(`error: could not scan ${relative(staging, error.file) || error.file}: ${error.message}`);
      if (unparsed.length > 0) {
        lines.push('FAIL: some files were not scanned, so the result cannot be trusted.');
        return { exitCode: 2, report: lines.join('\n') };
      }
      if (result.blocking.length > 0) {
        lines.push(
          '',
          `FAIL: ${result.blocking.length} HIGH/MEDIUM finding(s) not on the allowlist. Fix them, or allowlist a false positive with a reason.`,
        );
        return { exitCode: 1, report: lines.join('\n') };
      }
      lines.push('', 'PASS: no HIGH or MEDIUM finding outside the allowlist.');
      return { exitCode: 0, report: lines.join('\n') };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    lines.push(`error: ${error instanceof Error ? error.message : String(error)}`);
    return { exitCode: 2, report: lines.join('\n') };
  }
}

if (import.meta.main) {
  const outcome = await runGate(join(import.meta.dirname, '..'));
  console.log(outcome.report);
  process.exitCode = outcome.exitCode;
}
