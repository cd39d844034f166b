import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintFiles, type ActiveRule, type LintHost, type LintResult } from '../../src/lint/engine.js';
import { activeRules, PROFILES, type ProfileName } from '../../src/lint/profiles.js';
import type { ConfigSuppression } from '../../src/lint/suppress.js';
import type { Finding, Rule } from '../../src/lint/types.js';
import { ROOT } from '../support/cli.js';

const BASE = '/mem';

/** A host over an in-memory tree: paths relative to /mem. */
export function memoryHost(files: Readonly<Record<string, string | Uint8Array>>): LintHost {
  return {
    read(abs) {
      const rel = abs.startsWith(`${BASE}/`) ? abs.slice(BASE.length + 1) : abs;
      const v = files[rel];
      if (v === undefined) return null;
      return typeof v === 'string' ? new TextEncoder().encode(v) : v;
    },
    display: (abs) => (abs.startsWith(`${BASE}/`) ? abs.slice(BASE.length + 1) : abs),
    list(absDir) {
      const rel = absDir === BASE ? '' : absDir.startsWith(`${BASE}/`) ? `${absDir.slice(BASE.length + 1)}/` : null;
      if (rel === null) return [];
      const names = new Set<string>();
      for (const f of Object.keys(files)) if (f.startsWith(rel)) names.add(f.slice(rel.length).split('/')[0] as string);
      return [...names];
    },
  };
}

export interface MemoryLintOptions {
  readonly rules?: readonly ActiveRule[];
  readonly profile?: ProfileName;
  readonly suppressions?: readonly ConfigSuppression[];
  readonly today?: string;
  /** Which files are walked (default: all); the others are only there to be read (a sibling .env). */
  readonly walk?: readonly string[];
  /** Of the walked files, those named on the command line (a file that cannot be linted then fails the run). */
  readonly explicit?: readonly string[];
  /** Of the walked files, those git ignores (a server's deployed .env). */
  readonly gitIgnored?: readonly string[];
  /** What the host says git ignores, for files a compose file points at (absent: unknown). */
  readonly ignored?: (file: string) => { ignored: boolean; repo: boolean } | undefined;
}

/** Lints an in-memory tree with the engine, as the command would. */
export function lintMemory(files: Readonly<Record<string, string | Uint8Array>>, opts: MemoryLintOptions = {}): LintResult {
  const profile = opts.profile ?? 'default';
  const walk = opts.walk ?? Object.keys(files);
  const host = memoryHost(files);
  const ignored = opts.ignored;
  return lintFiles(
    walk.map((f) => ({ abs: `${BASE}/${f}`, ...(opts.explicit?.includes(f) ? { explicit: true } : {}), ...(opts.gitIgnored?.includes(f) ? { gitIgnored: true } : {}) })),
    ignored ? { ...host, ignored: (abs) => ignored(host.display(abs)) } : host,
    { rules: opts.rules ?? activeRules(profile), profile: PROFILES[profile], suppressions: opts.suppressions ?? [], today: opts.today ?? '2026-01-15' },
  );
}

/** Runs one rule alone over the file (plus extra files it may read, such as a sibling .env). */
export function runRule(rule: Rule, file: string, text: string, extra: Readonly<Record<string, string>> = {}, profile: ProfileName = 'default'): Finding[] {
  const r = lintMemory({ ...extra, [file]: text }, { rules: [{ rule, severity: rule.meta.severity }], profile, walk: [file] });
  return r.findings.filter((f) => f.ruleId === rule.meta.id);
}

export interface Case {
  readonly name: string;
  /** The file is expected not to be linted (a content test: the format does not recognise it). */
  readonly skippedOk?: boolean;
  readonly file: string;
  readonly text: string;
  readonly extra?: Readonly<Record<string, string>>;
  readonly profile?: ProfileName;
}

export interface InvalidCase extends Case {
  /** Line of every expected finding, in order (optionally `line:column`, or `file:line`). */
  readonly at: readonly (number | string)[];
  /** A substring every message must contain. */
  readonly message?: string;
}

function where(f: Finding, spec: number | string): string {
  if (typeof spec === 'number') return String(f.line);
  if (/^\d+:\d+$/.test(spec)) return `${f.line}:${f.column}`;
  if (/^\d+$/.test(spec)) return String(f.line);
  return /:\d+:\d+$/.test(spec) ? `${f.file}:${f.line}:${f.column}` : `${f.file}:${f.line}`;
}

/** The table test every rule has: valid snippets give no finding, invalid ones exactly the expected lines. */
export function ruleTable(rule: Rule, cases: { valid: readonly Case[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        // A valid snippet must parse: one that does not would pass without being checked.
        const r = lintMemory({ ...(c.extra ?? {}), [c.file]: c.text }, { rules: [{ rule, severity: rule.meta.severity }], profile: c.profile ?? 'default', walk: [c.file] });
        assert.deepEqual(r.findings.filter((f) => f.ruleId.endsWith('/parse-error')).map((f) => `${f.file}:${f.line} ${f.message}`), []);
        // … and be linted at all, as the format the rule reads (a skipped file passes every rule).
        assert.ok(c.skippedOk === true || r.files.includes(c.file), `${c.file} was not linted`);
        const found = r.findings.filter((f) => f.ruleId === rule.meta.id);
        assert.deepEqual(found.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`), []);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const found = runRule(rule, c.file, c.text, c.extra, c.profile);
        assert.deepEqual(
          found.map((f, i) => where(f, c.at[i] ?? 0)),
          c.at.map(String),
          found.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`).join('\n'),
        );
        for (const f of found) {
          assert.equal(f.ruleId, rule.meta.id);
          if (c.message) assert.match(f.message, new RegExp(c.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        }
      });
    }
  });
}

/** `<repo root>/../shared/corpus`, or undefined when it is not beside the checkout. */
export function corpusDir(): string | undefined {
  const dir = join(ROOT, '..', 'shared', 'corpus');
  return existsSync(dir) ? dir : undefined;
}
