import type { LintDocument } from './document.js';
import type { Location } from './position.js';

/**
 * The shapes shared by the lint engine, its rules and its renderers. No fs, no process. The parsers do not import
 * this module (they use position.ts and setting.ts), so the documents built from their output can be named here.
 */

export type { Location, Position } from './position.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse: critical 4 … info 0. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** The formats the linter reads: each has a parser in parse/ and a folder in rules/ (settings share agent/). */
export const FORMATS = ['env', 'compose', 'dockerfile', 'settings', 'nginx', 'k8s', 'traefik', 'caddy'] as const;
export type Format = (typeof FORMATS)[number];

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** Path relative to the working directory, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly remediation: string;
  /** Stable identity of the finding across runs (rule, file, the offending text), for SARIF partialFingerprints. */
  readonly fingerprint: string;
}

export interface RuleMeta {
  /** `<format>/<kebab-name>`, stable forever. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly rationale: string;
  readonly remediation: string;
  readonly refs: readonly string[];
  /** The document formats whose parsed form check() receives. */
  readonly formats: readonly Format[];
  /** Off unless a profile or `.agentsec.yaml` turns it on. */
  readonly defaultOff?: boolean;
  /** Comparable checks in established tools (H hadolint, T Trivy, C Checkov, K KICS, CIS …). */
  readonly anchors?: string;
  /**
   * More specific rules win: a finding of this rule drops findings of these rules on the same file and line
   * (agent/port-exposed over compose/port-all-interfaces), so one mistake is reported once, by its best name.
   */
  readonly supersedes?: readonly string[];
  /** Message templates, `{name}` placeholders filled by check(). */
  readonly messages: Readonly<Record<string, string>>;
}

/** What a profile tunes in the rules that read it. */
export interface ProfileOptions {
  readonly name: 'default' | 'strict';
  /** Lowest acceptable TLS version: '1.2' by default, '1.3' under strict. */
  readonly minTls: '1.2' | '1.3';
  /** Longest acceptable access-token lifetime, in minutes. */
  readonly maxAccessTokenMinutes: number;
}

export interface RuleContext {
  readonly profile: ProfileOptions;
}

/** One problem a rule reports: a message and where the offending text is written. */
export interface Report {
  readonly message: string;
  readonly at: Location;
  /** Overrides the rule's severity for this finding (an MCP image running as root is worse). */
  readonly severity?: Severity;
  /** The offending text, for the fingerprint; defaults to the message. Never a secret value. */
  readonly key?: string;
  /**
   * Every line (of the file `at` points into) the finding is about, when it is about several (a service's published
   * ports): a more specific rule supersedes it only where it covers all of them. Defaults to the line of `at`.
   */
  readonly covers?: readonly number[];
}

export interface Rule<D = LintDocument> {
  readonly meta: RuleMeta;
  /** Pure: reads the already-parsed document, returns what is wrong with it. */
  check(doc: D, ctx: RuleContext): readonly Report[];
}

/** Fills `{name}` placeholders of a message template. */
export function fmt(template: string | undefined, data: Readonly<Record<string, string | number>> = {}): string {
  return (template ?? '').replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

/** Everything a renderer needs about one run. */
export interface LintReport {
  readonly tool: { readonly name: string; readonly version: string };
  readonly findings: readonly Finding[];
  readonly notes: ReadonlyArray<{ readonly file: string; readonly message: string; readonly kind: string }>;
  /** Files parsed and checked, relative paths. */
  readonly files: readonly string[];
  /** Metadata of the rules that ran (and the engine's own ids), for SARIF's tool.driver.rules. */
  readonly rules: readonly RuleMeta[];
  readonly suppressed: number;
  readonly parseErrors: number;
  /** Config files that could not be linted (see LintResult.skipped); the named ones also have a `skipped` note. */
  readonly skipped: number;
  /** `--allow-skipped`: a named file that could not be linted does not fail the run. */
  readonly allowSkipped: boolean;
  readonly profile: string;
  readonly failOn: Severity;
}
