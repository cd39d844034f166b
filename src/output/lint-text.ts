import { createRequire } from 'node:module';
import type { ChalkInstance } from 'chalk';
import { SEVERITIES, type Finding, type LintReport, type Severity } from '../lint/types.js';
import { SCHEMA_VERSION } from './output.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Values come from untrusted files: no terminal control characters, no line breaks. */
function clean(s: string): string {
  return s.replace(CONTROL, '?').replace(/[\r\n\t]/g, ' ');
}

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function summaryLine(r: LintReport): string {
  const c = severityCounts(r.findings);
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  const files = `${r.files.length} file${r.files.length === 1 ? '' : 's'}`;
  const sup = r.suppressed > 0 ? `, ${r.suppressed} suppressed` : '';
  // Configs that could not be checked are counted, so "no findings" never hides that some were not read.
  const skipped = r.skipped > 0 ? `, ${r.skipped} skipped (not linted)` : '';
  return r.findings.length === 0 ? `no findings in ${files}${sup}${skipped}` : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files}${sup}${skipped}`;
}

/** One finding a line: `file:line:col severity id message`, no color, for pipes and editors. */
export function renderText(r: LintReport): string {
  return r.findings.map((f) => `${clean(f.file)}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${clean(f.message)}\n`).join('');
}

function paint(chalk: ChalkInstance, s: Severity, text: string): string {
  switch (s) {
    case 'critical':
      return chalk.bold.red(text);
    case 'high':
      return chalk.red(text);
    case 'medium':
      return chalk.yellow(text);
    case 'low':
      return chalk.cyan(text);
    default:
      return chalk.dim(text);
  }
}

/** Grouped by file, a table per file, colored by severity, a summary line at the end. */
export function renderTable(r: LintReport, chalk: ChalkInstance): string {
  const Table = createRequire(import.meta.url)('cli-table3') as typeof import('cli-table3');
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of r.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    out.push(chalk.bold.underline(clean(file)));
    const t = new Table({ head: ['LINE', 'SEVERITY', 'RULE', 'MESSAGE'].map((h) => chalk.bold(h)), style: { head: [], border: [] }, wordWrap: true, colWidths: [9, 10, 36, 70] });
    for (const f of list) t.push([`${f.line}:${f.column}`, paint(chalk, f.severity, f.severity), clean(f.ruleId), clean(f.message)]);
    out.push(t.toString(), '');
  }
  const c = severityCounts(r.findings);
  const worst = SEVERITIES.find((s) => c[s] > 0);
  out.push(worst ? paint(chalk, worst, summaryLine(r)) : chalk.green(summaryLine(r)));
  return `${out.join('\n')}\n`;
}

/** One JSON document with `schemaVersion`, the findings, a summary and the notes. */
export function renderJson(r: LintReport): string {
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    tool: r.tool,
    profile: r.profile,
    failOn: r.failOn,
    summary: { files: r.files.length, findings: r.findings.length, bySeverity: severityCounts(r.findings), suppressed: r.suppressed, parseErrors: r.parseErrors, skipped: r.skipped },
    findings: r.findings.map((f) => ({ file: f.file, line: f.line, column: f.column, ...(f.endLine !== undefined ? { endLine: f.endLine } : {}), ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}), severity: f.severity, ruleId: f.ruleId, message: f.message, remediation: f.remediation, fingerprint: f.fingerprint })),
    files: r.files,
    notes: r.notes,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
