import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatTable,
  gate,
  GateError,
  parseAllowlist,
  parseSarif,
  runElectronegativity,
  runGate,
  stageSources,
  toSarif,
  type Allowlist,
} from './electronegativity-gate.ts';

const fixture = readFileSync(
  join(import.meta.dirname, '__fixtures__', 'electronegativity-sample.sarif'),
  'utf8',
);

const allowOpenExternal: Allowlist = {
  entries: [
    {
      check: 'OPEN_EXTERNAL_JS_CHECK',
      file: 'electron/main/capabilities.ts',
      reason: 'URL vetted by the core allowlist before this call.',
    },
  ],
};

describe('SARIF parsing', () => {
  it('reads check, file, line, severity and confidence from each result', () => {
    const findings = parseSarif(fixture);
    expect(findings).toHaveLength(5);
    expect(findings[0]).toEqual({
      check: 'NODE_INTEGRATION_JS_CHECK',
      file: 'electron/main/window.ts',
      line: 12,
      column: 5,
      severity: 'HIGH',
      confidence: 'CERTAIN',
      manualReview: false,
      message: 'Disable nodeIntegration for untrusted origins',
    });
  });

  it('refuses reports it cannot trust with a GateError', () => {
    expect(() => parseSarif('{not json')).toThrow(GateError);
    expect(() => parseSarif('{"version":"2.1.0","runs":[]}')).toThrow(/unexpected shape/);
    const noSeverity = JSON.parse(fixture) as { runs: Array<{ results: Array<{ properties?: unknown }> }> };
    delete noSeverity.runs[0]?.results[0]?.properties;
    expect(() => parseSarif(JSON.stringify(noSeverity))).toThrow(/properties/);
  });

  it('round-trips the tool’s issues through toSarif', () => {
    const sarif = toSarif(
      [
        {
          id: 'SANDBOX_JS_CHECK',
          file: 'electron/main/x.ts',
          location: { line: 0, column: 4 },
          severity: { name: 'MEDIUM' },
          confidence: { name: 'FIRM' },
          manualReview: false,
          description: 'Use sandbox',
        },
        {
          id: 'CSP_GLOBAL_CHECK',
          file: 'N/A',
          severity: { name: 'LOW' },
          confidence: { name: 'CERTAIN' },
          description: 'No CSP',
        },
      ],
      '1.10.3',
    );
    expect(parseSarif(sarif)).toEqual([
      {
        check: 'SANDBOX_JS_CHECK',
        file: 'electron/main/x.ts',
        line: 1,
        column: 5,
        severity: 'MEDIUM',
        confidence: 'FIRM',
        manualReview: false,
        message: 'Use sandbox',
      },
      {
        check: 'CSP_GLOBAL_CHECK',
        file: 'N/A',
        line: 1,
        column: 1,
        severity: 'LOW',
        confidence: 'CERTAIN',
        manualReview: false,
        message: 'No CSP',
      },
    ]);
    expect(JSON.parse(sarif).runs[0].results[0].level).toBe('warning');
  });
});

describe('gating', () => {
  it('blocks HIGH and MEDIUM findings not allowlisted by check and file, ignores LOW', () => {
    const result = gate(parseSarif(fixture), allowOpenExternal);
    expect(result.blocking.map((f) => `${f.check}@${f.file}`)).toEqual([
      'NODE_INTEGRATION_JS_CHECK@electron/main/window.ts',
      'OPEN_EXTERNAL_JS_CHECK@electron/core/other.ts',
      'LIMIT_NAVIGATION_GLOBAL_CHECK@N/A',
    ]);
    expect(result.rows.map((row) => row.verdict)).toEqual([
      'blocking',
      'allowlisted',
      'blocking',
      'below-threshold',
      'blocking',
    ]);
    expect(result.unusedEntries).toEqual([]);
  });

  it('passes when everything HIGH/MEDIUM is allowlisted, and reports stale entries', () => {
    const findings = parseSarif(fixture).filter(
      (f) => f.file === 'electron/main/capabilities.ts' || f.severity === 'LOW',
    );
    const stale = {
      check: 'SANDBOX_JS_CHECK',
      file: 'electron/main/gone.ts',
      reason: 'Kept from an old refactor of the window code.',
    };
    const result = gate(findings, { entries: [...allowOpenExternal.entries, stale] });
    expect(result.blocking).toEqual([]);
    expect(result.unusedEntries).toEqual([stale]);
  });

  it('prints a table sorted by severity', () => {
    const table = formatTable(gate(parseSarif(fixture), allowOpenExternal)).split('\n');
    expect(table[0]).toMatch(/^severity\s+confidence\s+check\s+where\s+verdict$/);
    expect(table.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
    ]);
    expect(table.join('\n')).toContain('(app-wide)');
    expect(table.join('\n')).toContain('BLOCKING');
  });

  it('requires every allowlist entry to carry a real reason and nothing else', () => {
    expect(parseAllowlist(JSON.stringify(allowOpenExternal))).toEqual(allowOpenExternal);
    expect(() => parseAllowlist('{"entries":[{"check":"X","file":"a.ts","reason":"fp"}]}')).toThrow(/reason/);
    expect(() => parseAllowlist('{"entries":[{"check":"X","file":"a.ts"}]}')).toThrow(GateError);
    expect(() => parseAllowlist('{"entries":[],"extra":1}')).toThrow(GateError);
    expect(() => parseAllowlist('[')).toThrow(/not valid JSON/);
  });
});

describe('the real tool', () => {
  it('finds genuine problems in a deliberately insecure app and the gate blocks them', async () => {
    const project = mkdtempSync(join(tmpdir(), 'insecure-app-'));
    mkdirSync(join(project, 'electron', 'main'), { recursive: true });
    mkdirSync(join(project, 'node_modules', 'electron'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'electron', 'package.json'), '{"version":"45.4.1"}');
    writeFileSync(
      join(project, 'electron', 'main', 'index.ts'),
      "import { BrowserWindow } from 'electron';\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\nvoid w.loadURL('http://example.com/');\n",
    );
    writeFileSync(
      join(project, 'electron', 'main', 'index.test.ts'),
      'new BrowserWindow({ webPreferences: { nodeIntegration: true } });\n',
    );
    const staging = mkdtempSync(join(tmpdir(), 'staging-'));
    expect(stageSources(project, staging)).toBe(1);
    const outcome = await runElectronegativity(staging, '45.4.1');
    const checks = new Set(outcome.issues.map((issue) => issue.id));
    for (const check of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
    ]) {
      expect(checks).toContain(check);
    }

    const sarifPath = join(project, 'report.sarif');
    const run = await runGate(project, { sarifPath });
    expect(run.exitCode).toBe(1);
    expect(run.report).toMatch(
      /HIGH\s+\S+\s+CONTEXT_ISOLATION_JS_CHECK\s+electron\/main\/index\.ts:2\s+BLOCKING/,
    );
    expect(run.report).toContain('electron/main/index.ts');
    expect(run.report).not.toContain('index.test.ts');
    expect(parseSarif(readFileSync(sarifPath, 'utf8')).length).toBeGreaterThan(0);
  });

  it('answers exit 2 with the reason when the allowlist is malformed', async () => {
    const project = mkdtempSync(join(tmpdir(), 'bad-allowlist-'));
    const allowlistPath = join(project, 'allow.json');
    writeFileSync(allowlistPath, '{"entries":[{"check":"X"}]}');
    const run = await runGate(project, { allowlistPath, sarifPath: join(project, 'r.sarif') });
    expect(run.exitCode).toBe(2);
    expect(run.report).toContain('allowlist');
  });
});
