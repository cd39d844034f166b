import type { LintReport, RuleMeta, Severity } from '../lint/types.js';

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

/** A SARIF 2.1.0 log: one run, `tool.driver.rules` from the rules' meta, `partialFingerprints`, relative URIs. */
export function renderSarif(r: LintReport): string {
  const rules = [...r.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(rules.map((m, i) => [m.id, i]));
  const results = r.findings.map((f) => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: LEVEL[f.severity],
    message: { text: `${f.message}. ${f.remediation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, ...(f.endLine !== undefined ? { endLine: f.endLine } : {}), ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}) },
        },
      },
    ],
    partialFingerprints: { 'agentsecFingerprint/v1': f.fingerprint },
    properties: { severity: f.severity, 'security-severity': SECURITY_SEVERITY[f.severity] },
  }));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: r.tool.name, version: r.tool.version, semanticVersion: r.tool.version, informationUri: 'https://www.npmjs.com/package/agentsec', rules: rules.map(descriptor) } },
        automationDetails: { id: `agentsec/lint/${r.profile}/` },
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
