import ignore from 'ignore';
import { SUPPRESSION_WITHOUT_REASON } from './builtin.js';
import type { Finding, Position, SilencedFinding } from './types.js';

/** A suppression listed in `.agentsec.yaml`: a rule, the paths it covers, why, and until when. */
export interface ConfigSuppression {
  readonly rule: string;
  /** gitignore-style patterns relative to the working directory; empty means everywhere. */
  readonly paths: readonly string[];
  readonly reason: string;
  /** YYYY-MM-DD; the suppression stops applying the day after. */
  readonly expires?: string;
}

export interface InlineSuppression {
  /** The line whose findings it silences. */
  readonly target: number;
  readonly ids: readonly string[];
  readonly reason: string | undefined;
  readonly at: Position;
}

const MARKER = /(?:#|\/\/)\s*agentsec-ignore\b(.*)$/;

/**
 * Inline suppressions of a text: `# agentsec-ignore <id>[,<id>…] -- <reason>`, trailing a line (silences that line)
 * or on a line of its own (silences the next line that is not blank or a comment).
 */
export function inlineSuppressions(text: string): InlineSuppression[] {
  if (!text.includes('agentsec-ignore')) return [];
  const lines = text.split(/\r?\n/);
  const out: InlineSuppression[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = MARKER.exec(line);
    if (!m) continue;
    const body = (m[1] as string).trim();
    const sep = body.indexOf('--');
    const idsText = sep >= 0 ? body.slice(0, sep) : body;
    const reason = sep >= 0 ? body.slice(sep + 2).trim() : '';
    const ids = idsText.split(/[\s,]+/).filter(Boolean);
    const own = line.slice(0, m.index).trim() === '';
    let target = i + 1;
    if (own) {
      let j = i + 1;
      while (j < lines.length && /^\s*(?:(?:#|\/\/).*)?$/.test(lines[j] as string)) j++;
      target = j + 1;
    }
    out.push({ target, ids, reason: reason === '' ? undefined : reason, at: { line: i + 1, column: m.index + 1 } });
  }
  return out;
}

function expired(s: ConfigSuppression, today: string): boolean {
  return s.expires !== undefined && today > s.expires;
}

/**
 * Drops findings silenced inline or by the config. A suppression without a reason silences nothing and is itself a
 * finding; an expired config suppression silences nothing and leaves a note.
 */
export function applySuppressions(
  findings: readonly Finding[],
  textOf: (file: string) => string | undefined,
  config: readonly ConfigSuppression[],
  today: string,
  notes: Array<{ file: string; message: string; kind: 'suppression' | 'skipped' | 'unreadable' | 'internal' }>,
  configPath: (file: string) => string = (f) => f,
): { findings: Finding[]; suppressed: number; silenced: SilencedFinding[] } {
  const matchers = config.map((s) => ({ s, match: s.paths.length === 0 ? () => true : ((ig) => (f: string) => ig.ignores(f))(ignore().add([...s.paths])) }));
  for (const m of matchers) if (expired(m.s, today)) notes.push({ file: '.agentsec.yaml', kind: 'suppression', message: `suppression of ${m.s.rule} expired on ${m.s.expires}: its findings are reported again` });
  const inline = new Map<string, InlineSuppression[]>();
  const out: Finding[] = [];
  let suppressed = 0;
  const silenced: SilencedFinding[] = [];
  const files = new Set(findings.map((f) => f.file));
  for (const file of files) {
    const text = textOf(file);
    const list = text ? inlineSuppressions(text) : [];
    inline.set(file, list);
    for (const s of list) {
      if (s.reason !== undefined) continue;
      out.push({
        ruleId: SUPPRESSION_WITHOUT_REASON,
        severity: 'medium',
        message: `suppression of ${s.ids.join(', ') || '(no rule)'} has no reason: write '-- <why>' after the rule id; it is not applied`,
        file,
        line: s.at.line,
        column: s.at.column,
        remediation: 'give the reason after --, e.g. # agentsec-ignore compose/privileged -- needed for GPU passthrough',
        fingerprint: `${SUPPRESSION_WITHOUT_REASON}:${file}:${s.ids.join(',')}`,
      });
    }
  }
  for (const f of findings) {
    const inlineBy = (inline.get(f.file) ?? []).find((s) => s.reason !== undefined && s.target === f.line && s.ids.includes(f.ruleId));
    const byInline = inlineBy !== undefined;
    const configBy = byInline || f.ruleId.endsWith('/parse-error') ? undefined : matchers.find((m) => m.s.rule === f.ruleId && !expired(m.s, today) && m.match(configPath(f.file)));
    if ((byInline && !f.ruleId.endsWith('/parse-error')) || configBy) {
      suppressed++;
      silenced.push(inlineBy ? { finding: f, kind: 'inSource', justification: inlineBy.reason ?? '' } : { finding: f, kind: 'external', justification: configBy?.s.reason ?? '' });
      continue;
    }
    out.push(f);
  }
  return { findings: out, suppressed, silenced };
}
