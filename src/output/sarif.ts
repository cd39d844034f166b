import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_URL } from '../core/about.js';
import type { Finding, LintReport, RuleMeta, Severity } from '../lint/types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning ranks security alerts by `security-severity` (critical ≥ 9, high ≥ 7, medium ≥ 4). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

function ruleName(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => (w ? (w[0] as string).toUpperCase() + w.slice(1) : w))
    .join('');
}

function descriptor(m: RuleMeta): Record<string, unknown> {
  return {
    id: m.id,
    name: ruleName(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: { text: `${m.rationale}\n\nRemediation: ${m.remediation}`, markdown: `${m.rationale}\n\n**Remediation:** ${m.remediation}${m.refs.length ? `\n\n${m.refs.map((r) => `- <${r}>`).join('\n')}` : ''}` },
    ...(m.refs[0] ? { helpUri: m.refs[0] } : {}),
    defaultConfiguration: { level: LEVEL[m.severity], enabled: !m.defaultOff },
    properties: { tags: ['security', m.id.split('/')[0] as string], 'security-severity': SECURITY_SEVERITY[m.severity], precision: 'high' },
  };
}

/** URIs relative to the repository root, percent-encoded, forward slashes: what GitHub code scanning expects. */
function uri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/');
}

/** Where the finding paths are: the working directory they are relative to, and the project root URIs are made from. */
export interface SarifPaths {
  readonly cwd: string;
  /** The git work tree (or the directory of .agentsec.yaml, else the working directory): what %SRCROOT% means. */
  readonly root: string;
}

/**
 * A file's location: relative to %SRCROOT% (the project root, whatever directory lint ran in, so GitHub maps it onto
 * the repository), or an absolute file: URI for a file outside the project, never a `../` path.
 */
function artifactLocation(file: string, paths: SarifPaths | undefined): Record<string, string> {
  if (!paths) return { uri: uri(file), uriBaseId: '%SRCROOT%' };
  const abs = resolve(paths.cwd, file);
  const rel = relative(paths.root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: uri(rel), uriBaseId: '%SRCROOT%' };
}

/**
 * A SARIF 2.1.0 log: one run, `tool.driver.rules` from the rules' meta, `partialFingerprints`, URIs relative to the
 * project root named in `originalUriBaseIds`, and suppressed findings as results with `suppressions` (code scanning
 * shows them as dismissed, with the reason, instead of not at all).
 */
export function renderSarif(r: LintReport, paths?: SarifPaths): string {
  const rules = [...r.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(rules.map((m, i) => [m.id, i]));
  const result = (f: Finding) => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: LEVEL[f.severity],
    message: { text: `${f.message}. ${f.remediation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file, paths),
          region: { startLine: f.line, startColumn: f.column, ...(f.endLine !== undefined ? { endLine: f.endLine } : {}), ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}) },
        },
      },
    ],
    partialFingerprints: { 'agentsecFingerprint/v1': f.fingerprint },
    properties: { severity: f.severity, 'security-severity': SECURITY_SEVERITY[f.severity] },
  });
  const results = [
    ...r.findings.map(result),
    ...(r.silenced ?? []).map((s) => ({ ...result(s.finding), suppressions: [{ kind: s.kind, status: 'accepted', justification: s.justification }] })),
  ];
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: r.tool.name, version: r.tool.version, semanticVersion: r.tool.version, informationUri: PROJECT_URL, rules: rules.map(descriptor) } },
        automationDetails: { id: `agentsec/lint/${r.profile}/` },
        ...(paths ? { originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(paths.root).href.replace(/\/$/, '')}/`, description: { text: 'the project root' } } } } : {}),
        invocations: [
          {
            // A named file that could not be linted fails the run (unless allowed), like a parse error.
            executionSuccessful: r.parseErrors === 0 && (r.allowSkipped || !r.notes.some((n) => n.kind === 'skipped')),
            toolExecutionNotifications: r.notes.map((n) => ({ level: n.kind === 'suppression' || (n.kind === 'skipped' && r.allowSkipped) ? 'note' : 'error', message: { text: `${n.file}: ${n.message}` } })),
            properties: { skipped: r.skipped },
          },
        ],
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
