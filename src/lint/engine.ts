import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { EnvDocument, LintDocument, Setting } from './document.js';
import { upperSnake } from './document.js';
import { formatByName, isExampleEnv, isTemplateName, looksLikeCompose, looksLikeK8s, looksLikeNginx, looksLikeTraefik, looksLikeOtherFormat, mayHoldAgentSettings, type NameVerdict } from './formats.js';
import { parseK8s } from './parse/k8s.js';
import { isAgentKnob, looksLikeAgentServer } from './knobs.js';
import { knownServer } from './known-servers.js';
import { parseCompose } from './parse/compose.js';
import { keyValuePairs, parseDockerfile } from './parse/dockerfile.js';
import { parseEnv } from './parse/env.js';
import { parseTomlSettings, parseYamlSettings } from './parse/settings.js';
import { applySuppressions, type ConfigSuppression } from './suppress.js';
import { parseErrorId } from './builtin.js';
import { agentService } from './rule-helpers.js';
import { mergeMaps, mergeServices, retagNode, retagService } from './compose-merge.js';
import type { PMap } from './parse/yaml.js';
import { composeBuildsWithHealthcheck, composeMergePartner, composeParse, composeSecretFiles, envFileEntries, fileProviderMiddlewares, nearbyAgentServices, nearbyNginxZones, nginxParse, parseCaddyFile, parseNginxFile, proxiedBy, settingsParse, traefikFile, traefikNeighbours, traefikSiblings, type ProjectFiles } from './project.js';
import type { Finding, Format, Location, Position, ProfileOptions, Rule, RuleContext, Severity, SilencedFinding } from './types.js';

/** What the engine may touch of the file system: reading, injected so the engine stays testable in memory. */
export interface LintHost {
  /**
   * The file's bytes (a host may stop one byte past MAX_FILE_BYTES), or null when it does not exist or is not a
   * regular file. Throws (with an errno code) when it cannot be read.
   */
  read(absPath: string): Uint8Array | null;
  /** The path shown in findings: relative to the working directory, forward slashes. */
  display(absPath: string): string;
  /** Entry names of a directory (empty when it is none), for cross-file lookups and `include` globs; optional. */
  list?(absDir: string): readonly string[];
  /**
   * Whether git ignores a file (and whether it is in a work tree at all), for the files a compose file points at
   * (Docker secrets files); optional: without it, whether such a file is committed is not judged.
   */
  ignored?(absPath: string): { readonly ignored: boolean; readonly repo: boolean } | undefined;
}

export interface FileRef {
  readonly abs: string;
  /**
   * Named on the command line rather than found by walking a directory: if it cannot be linted (not a format
   * agentsec reads, too large, UTF-16, binary) the run says so and fails, instead of passing without checking it.
   */
  readonly explicit?: boolean;
  /** Git ignores the file: it is deployed, not committed (a server's `.env`). */
  readonly gitIgnored?: boolean;
}

export interface ActiveRule {
  readonly rule: Rule;
  readonly severity: Severity;
}

export interface LintOptions {
  readonly rules: readonly ActiveRule[];
  readonly profile: ProfileOptions;
  readonly suppressions?: readonly ConfigSuppression[];
  /** Maps a finding's path to the path config suppressions are written against (relative to `.agentsec.yaml`). */
  readonly configPath?: (file: string) => string;
  /** Today as YYYY-MM-DD, for suppression expiry. */
  readonly today: string;
}

export interface Note {
  readonly file: string;
  readonly message: string;
  /** `skipped`: a file named on the command line that could not be linted. */
  readonly kind: 'skipped' | 'unreadable' | 'internal' | 'suppression';
}

export interface LintResult {
  readonly findings: Finding[];
  readonly notes: Note[];
  /** Files parsed and checked (display paths, in walk order). */
  readonly files: string[];
  readonly parseErrors: number;
  /** A file could not be read or a rule failed: the run is not trustworthy. */
  readonly runtimeFailures: number;
  /** Findings removed by inline or config suppressions. */
  readonly suppressed: number;
  /** Those findings, with the suppression's kind and reason. */
  readonly silenced: SilencedFinding[];
  /**
   * Config files that could not be linted (too large, UTF-16, binary, a template that is not its format until
   * rendered), walked or named; plus files named on the command line that are not a format agentsec reads.
   */
  readonly skipped: number;
  /** Of those, the files named on the command line (each has a `skipped` note): the run must not pass silently. */
  readonly skippedExplicit: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Configs are small; anything past this is generated or a mistake, and parsing it would stall the run. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * UTF-16 text (a byte-order mark, or ASCII with a NUL in every other byte): Compose, Docker and nginx read UTF-8, so
 * such a file does not configure what it seems to, and decoding it as UTF-8 would hide every setting.
 */
function isUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 === 0 ? even++ : odd++;
  return (odd >= n * 0.45 && even === 0) || (even >= n * 0.45 && odd === 0);
}

function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

interface Parsed {
  readonly doc: LintDocument | undefined;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
  readonly format: Format;
}

/** Why a file is not linted; `config` when it is one of ours that could not be checked (counted even in a walk). */
export interface Skip {
  readonly skipped: string;
  readonly config: boolean;
}

/** What the content of a file named `.yaml`, `.json`, `.toml` or `.conf` is not, when it is none of ours. */
const NOT_RECOGNISED: Readonly<Record<string, string>> = {
  yaml: 'not a compose file, Kubernetes manifest, Traefik configuration or agent-server settings',
  json: 'not agent-server settings',
  toml: 'not a Traefik configuration or agent-server settings',
  conf: 'not an nginx configuration',
};

/** A Jinja/Go/Helm template (`{{ }}`, `{% %}`) that is not its format until rendered. */
function unrenderedTemplate(text: string): boolean {
  return /\{\{|\{%/.test(text);
}

const RENDER_FIRST: Skip = { skipped: 'a template ({{ }}) that is not valid until rendered: lint the rendered file', config: true };

/** Reads (through the host) and caches the texts and directory listings that findings and cross-file checks refer to. */
class TextCache implements ProjectFiles {
  private readonly texts = new Map<string, string | null>();
  private readonly listings = new Map<string, readonly string[]>();
  /** Display path to text, for the inline suppressions of files a finding points into. */
  readonly byDisplay = new Map<string, string>();
  constructor(private readonly host: LintHost) {}
  get(abs: string): string | null {
    if (!this.texts.has(abs)) {
      let t: string | null = null;
      try {
        const b = this.host.read(abs);
        t = b && b.length <= MAX_FILE_BYTES && !isBinary(b) ? decoder.decode(b).replace(/^\uFEFF/, '') : null;
      } catch {
        t = null;
      }
      this.texts.set(abs, t);
      if (t !== null) this.byDisplay.set(this.host.display(abs), t);
    }
    return this.texts.get(abs) ?? null;
  }
  list(absDir: string): readonly string[] {
    let names = this.listings.get(absDir);
    if (names === undefined) {
      try {
        names = this.host.list?.(absDir) ?? [];
      } catch {
        names = [];
      }
      this.listings.set(absDir, names);
    }
    return names;
  }
  display(abs: string): string {
    return this.host.display(abs);
  }
  ignored(abs: string): { readonly ignored: boolean; readonly repo: boolean } | undefined {
    try {
      return this.host.ignored?.(abs);
    } catch {
      return undefined;
    }
  }
  set(abs: string, text: string): void {
    this.texts.set(abs, text);
    this.byDisplay.set(this.host.display(abs), text);
  }
}

function envSettings(file: string, text: string, example: boolean, gitIgnored: boolean): { doc: EnvDocument; errors: Parsed['errors'] } {
  const p = parseEnv(text);
  const settings: Setting[] = p.entries.map((e) => ({
    key: e.key,
    name: upperSnake(e.key),
    path: upperSnake(e.key),
    raw: e.raw,
    value: e.value,
    interpolated: e.interpolated,
    origin: e.interpolated ? { kind: 'mixed' } : { kind: 'literal' },
    defaults: [],
    at: e.at,
    valueAt: e.valueAt,
  }));
  return { doc: { format: 'env', file, text, settings, example, gitIgnored, agentServer: looksLikeAgentServer(settings) }, errors: p.errors };
}

/**
 * Parses one file once, by its format. Compose files get their sibling `.env` for interpolation, Dockerfiles their
 * `.dockerignore`. Parse errors come back as data, never thrown.
 */
export function parseSource(abs: string, file: string, text: string, verdict: NameVerdict, cache: ProjectFiles, runTraefik: () => readonly string[], opts: { readonly gitIgnored?: boolean; readonly runNginx?: () => readonly string[] } = {}): Parsed | Skip {
  const display = (p: string): string => cache.display(p);
  const name = basename(abs);
  let format: Format | undefined = verdict === 'yaml' || verdict === 'json' || verdict === 'toml' || verdict === 'conf' ? undefined : verdict;
  if (verdict === 'yaml' && looksLikeCompose(text)) format = 'compose';
  else if (verdict === 'yaml' && looksLikeK8s(text)) format = 'k8s';
  else if ((verdict === 'yaml' || verdict === 'toml') && looksLikeTraefik(text)) format = 'traefik';
  if (verdict === 'conf') {
    if (!looksLikeNginx(text)) return { skipped: NOT_RECOGNISED['conf'] as string, config: false };
    format = 'nginx';
  }
  if (format === undefined) {
    if (!mayHoldAgentSettings(text) || (verdict !== 'json' && looksLikeOtherFormat(text))) return { skipped: NOT_RECOGNISED[verdict] ?? 'not a format agentsec lint reads', config: false };
    format = 'settings';
  }
  const template = isTemplateName(name) ? { template: true } : {};
  switch (format) {
    case 'env': {
      const r = envSettings(file, text, isExampleEnv(name), opts.gitIgnored === true);
      return { doc: { ...r.doc, ...template }, errors: r.errors, format };
    }
    case 'compose': {
      const own = composeParse(abs, cache, false) ?? { ...parseCompose(text, () => undefined), envAbs: undefined };
      if (own.errors.length > 0 && unrenderedTemplate(text)) return RENDER_FIRST;
      // Merged as Compose runs it: an overlay onto its base, a base with its compose.override.yaml.
      const merge = own.errors.length === 0 ? composeMergePartner(abs, own.services, cache) : undefined;
      const mergedWith = merge ? display(merge.partnerAbs) : undefined;
      let services = own.services;
      let top = own.top;
      if (merge && mergedWith !== undefined) {
        const partner = merge.partner.services.map((s) => retagService(s, mergedWith));
        const partnerTop = merge.partner.top ? (retagNode(merge.partner.top, mergedWith) as PMap) : undefined;
        services = merge.role === 'overlay' ? mergeServices(partner, own.services) : mergeServices(own.services, partner);
        top = partnerTop === undefined ? own.top : own.top === undefined ? partnerTop : merge.role === 'overlay' ? mergeMaps(partnerTop, own.top) : mergeMaps(own.top, partnerTop);
      }
      const p = { ...own, services, top };
      const settings = p.services.flatMap((s) => [...s.environment, ...s.flags]);
      const envFileSettings = envFileEntries(abs, p.services, cache);
      const proxied = proxiedBy(abs, p.services, cache);
      const secretFiles = composeSecretFiles(abs, own.top, cache);
      // `name@file` middlewares live in Traefik's file provider: dynamic files mounted into Traefik, nearby, or in this run.
      const fileProvider = text.includes('@file') ? lazy(() => fileProviderMiddlewares(abs, [...traefikNeighbours(abs, p.services, cache), ...runTraefik()], cache)) : undefined;
      return {
        doc: { format, file, text, ...template, services: p.services, settings, agentServer: looksLikeAgentServer(settings), envFile: p.envAbs !== undefined ? display(p.envAbs) : undefined, ...(envFileSettings.length > 0 ? { envFileSettings } : {}), ...(proxied.size > 0 ? { proxiedBy: proxied } : {}), ...(fileProvider ? { fileProvider } : {}), ...(p.top ? { top: p.top } : {}), ...(secretFiles.length > 0 ? { secretFiles } : {}), ...(mergedWith !== undefined ? { mergedWith } : {}) },
        errors: p.errors,
        format,
      };
    }
    case 'dockerfile': {
      const p = parseDockerfile(text);
      const dir = dirname(abs);
      const dockerignore = cache.get(join(dir, `${name}.dockerignore`)) ?? cache.get(join(dir, '.dockerignore'));
      const settings: Setting[] = [];
      for (const ins of p.instructions) {
        if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') continue;
        for (const kv of keyValuePairs(ins.rest)) {
          settings.push({
            key: kv.key,
            name: upperSnake(kv.key),
            path: upperSnake(kv.key),
            raw: kv.value,
            value: kv.value !== undefined && kv.value.includes('$') ? undefined : kv.value,
            interpolated: kv.value?.includes('$') ?? false,
            origin: { kind: 'literal' },
            defaults: [],
            at: ins.at,
            valueAt: ins.at,
            ...(ins.keyword === 'ARG' ? { buildArg: true } : {}),
          });
        }
      }
      const composeHealthcheck = composeBuildsWithHealthcheck(abs, cache);
      return { doc: { format, file, text, instructions: p.instructions, stages: p.stages, dockerignore, settings, agentServer: false, ...(composeHealthcheck ? { composeHealthcheck } : {}) }, errors: p.errors, format };
    }
    case 'nginx': {
      const envsubst = /\.template(?:\.[a-z0-9_-]+)?$/i.test(name);
      const p = nginxParse(abs, cache, false) ?? parseNginxFile(abs, text, cache, envsubst);
      // A Jinja/Go template of an nginx file (`site.conf.j2`) is not nginx until rendered: not linted, not an error.
      if (p.errors.length > 0 && unrenderedTemplate(text)) return RENDER_FIRST;
      const runNginx = opts.runNginx ?? (() => []);
      const nearbyZones = lazy(() => nearbyNginxZones(abs, cache, runNginx()));
      const agentServices = lazy(() => nearbyAgentServices(abs, cache, agentService));
      return { doc: { format, file, text, directives: p.directives, template: envsubst, settings: [], agentServer: false, nearbyZones, agentServices }, errors: p.errors, format };
    }
    case 'k8s': {
      const p = parseK8s(text);
      // A Helm/Jinja template whose `{{ }}` is not valid YAML until rendered: not a manifest yet, not an error.
      if (p.errors.length > 0 && unrenderedTemplate(text)) return RENDER_FIRST;
      // Container env and ConfigMap data (what envFrom feeds in) are configuration; Secret entries are kept apart.
      const settings = p.objects.flatMap((o) => [...o.containers.flatMap((c) => [...c.env, ...c.flags]), ...(o.kind === 'ConfigMap' ? o.data : [])]);
      const secretData = p.objects.flatMap((o) => (o.kind === 'Secret' ? o.data : []));
      // agentServer stays false: container env lists only what differs from the image's defaults, like compose.
      return { doc: { format, file, text, ...template, objects: p.objects, settings, agentServer: false, ...(secretData.length > 0 ? { secretData } : {}) }, errors: p.errors, format };
    }
    case 'caddy': {
      const p = parseCaddyFile(abs, text, cache);
      const agentServices = lazy(() => nearbyAgentServices(abs, cache, agentService));
      return { doc: { format, file, text, global: p.global, sites: p.sites, settings: [], agentServer: false, agentServices }, errors: p.errors, format };
    }
    case 'traefik': {
      const p = settingsParse(abs, cache, false, verdict === 'toml') ?? (verdict === 'toml' ? parseTomlSettings(text) : parseYamlSettings(text));
      if (p.errors.length > 0 && unrenderedTemplate(text)) return RENDER_FIRST;
      // The file provider merges every file of its directory: a middleware may be defined in a sibling (or elsewhere in the run).
      const fileProvider = /middlewares/i.test(text) ? lazy(() => fileProviderMiddlewares(abs, [...traefikSiblings(abs, cache), ...runTraefik()], cache)) : undefined;
      return { doc: { format, syntax: verdict === 'toml' ? 'toml' : 'yaml', file, text, settings: p.settings, agentServer: false, ...(fileProvider ? { fileProvider } : {}) }, errors: p.errors, format };
    }
    case 'settings': {
      const p = verdict === 'toml' ? parseTomlSettings(text) : parseYamlSettings(text);
      if (p.errors.length > 0 && unrenderedTemplate(text)) return RENDER_FIRST;
      // Settings of an agent server: a knob by its (nested) name, or a known server's own file (Qdrant, LiteLLM).
      if (p.errors.length === 0 && !p.settings.some((s) => isAgentKnob(s.name) || mayHoldAgentSettings(s.name) || mayHoldAgentSettings(s.path)) && knownServer(p.settings) === undefined) return { skipped: NOT_RECOGNISED[verdict] ?? 'not agent-server settings', config: false };
      const syntax = verdict === 'toml' ? 'toml' : verdict === 'json' ? 'json' : 'yaml';
      return { doc: { format, syntax, file, text, ...template, settings: p.settings, agentServer: looksLikeAgentServer(p.settings) }, errors: p.errors, format };
    }
  }
}

/** A value computed on first use, then kept. */
function lazy<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

function fingerprint(ruleId: string, file: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${key}`).digest('hex').slice(0, 32);
}

function byPosition(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/**
 * What checking a run of files gave, before the run-wide steps (de-duplication, supersedes, suppressions, sorting):
 * plain data, so a part checked in a worker thread crosses to the main thread by structured clone.
 */
export interface LintPart {
  /** In the order they were reported (the run-wide de-duplication keeps the first of equal findings). */
  readonly findings: Finding[];
  /** Report.covers of the findings that have one: [index in `findings`, lines]. */
  readonly covers: Array<readonly [number, readonly number[]]>;
  readonly notes: Note[];
  readonly files: string[];
  readonly parseErrors: number;
  readonly runtimeFailures: number;
  readonly skipped: number;
  readonly skippedExplicit: number;
  /** The text of each file a finding points into (display path, text), for inline suppressions. */
  readonly texts: Array<readonly [string, string]>;
}

/**
 * Lints files: each read once, parsed once, every active rule of its format run on the parsed form. One bad file
 * never stops the rest: parse errors become findings, unreadable files and failing rules become notes. Findings come
 * back de-duplicated and sorted by file, line, column, id.
 */
export function lintFiles(files: readonly FileRef[], host: LintHost, opts: LintOptions): LintResult {
  return finishLint([checkFiles(files, host, opts)], opts);
}

/**
 * Checks `files[from..to)`, with the whole run in view (cross-file lookups such as a `name@file` middleware search
 * every file of the run). Parts of one run, checked apart and given to {@link finishLint} in file order, give
 * exactly what checking the whole run at once gives.
 */
export function checkFiles(files: readonly FileRef[], host: LintHost, opts: Pick<LintOptions, 'rules' | 'profile'>, from = 0, to = files.length): LintPart {
  const cache = new TextCache(host);
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const linted: string[] = [];
  let parseErrors = 0;
  let runtimeFailures = 0;
  const ctx: RuleContext = { profile: opts.profile };
  const covers = new Map<Finding, readonly number[]>();
  const byFormat = new Map<Format, ActiveRule[]>();
  for (const ar of opts.rules) for (const f of ar.rule.meta.formats) byFormat.set(f, [...(byFormat.get(f) ?? []), ar]);
  const display = (abs: string): string => host.display(abs);
  // Every Traefik file of the run, found only when a `name@file` middleware has to be looked up.
  const runTraefik = lazy(() => files.map((f) => f.abs).filter((abs) => /\.(?:ya?ml|toml)$/i.test(abs) && traefikFile(abs, cache) !== null));
  // Every nginx file of the run, listed only when a limit_req names a zone its own file does not define.
  const runNginx = lazy(() => files.map((f) => f.abs).filter((abs) => formatByName(basename(abs)) === 'nginx'));

  let skipped = 0;
  let skippedExplicit = 0;
  // A walk skips quietly what is not a config of ours and counts the configs it could not check; a file named on the
  // command line that is not linted gets a note and fails the run (unless the caller allows skipped files).
  const skip = (ref: FileRef, file: string, why: Skip): void => {
    if (ref.explicit) {
      skipped++;
      skippedExplicit++;
      notes.push({ file, kind: 'skipped', message: `not linted: ${why.skipped}` });
    } else if (why.config) skipped++;
  };
  for (let i = from; i < to; i++) {
    const ref = files[i] as FileRef;
    const name = basename(ref.abs);
    const verdict = formatByName(name);
    if (!verdict) {
      // Most walked files are no config at all: their display path is only worked out for a note.
      if (ref.explicit) skip(ref, display(ref.abs), { skipped: 'not a file agentsec lint reads (compose, Dockerfile, .env, nginx, Caddyfile, Traefik, Kubernetes or agent-server settings)', config: false });
      continue;
    }
    const file = display(ref.abs);
    let bytes: Uint8Array | null;
    try {
      bytes = host.read(ref.abs);
    } catch (err) {
      runtimeFailures++;
      notes.push({ file, kind: 'unreadable', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      continue;
    }
    if (bytes === null) {
      runtimeFailures++;
      notes.push({ file, kind: 'unreadable', message: 'not found or not a regular file' });
      continue;
    }
    if (bytes.length > MAX_FILE_BYTES) {
      skip(ref, file, { skipped: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, config: true });
      continue;
    }
    if (isUtf16(bytes)) {
      skip(ref, file, { skipped: 'UTF-16 encoded, which Compose, Docker and nginx do not read: save it as UTF-8', config: true });
      continue;
    }
    if (isBinary(bytes)) {
      skip(ref, file, { skipped: 'a binary file', config: true });
      continue;
    }
    const text = decoder.decode(bytes).replace(/^\uFEFF/, '');
    cache.set(ref.abs, text);
    const parsed = parseSource(ref.abs, file, text, verdict, cache, runTraefik, { runNginx, ...(ref.gitIgnored ? { gitIgnored: true } : {}) });
    if ('skipped' in parsed) {
      skip(ref, file, parsed);
      continue;
    }
    linted.push(file);
    if (parsed.errors.length > 0) {
      parseErrors++;
      const first = parsed.errors[0] as { message: string; at: Position };
      const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
      const id = parseErrorId(parsed.format);
      findings.push({ ruleId: id, severity: 'high', message: `${first.message}${more}`, file, line: first.at.line, column: first.at.column, remediation: 'fix the syntax so the file can be checked; until then it is not linted', fingerprint: fingerprint(id, file, first.message) });
      if (!parsed.doc || parsed.format !== 'env') continue;
    }
    const doc = parsed.doc;
    if (!doc) continue;
    // Findings in the other file of a compose merge belong to that file's own lint.
    const elsewhere = doc.format === 'compose' ? doc.mergedWith : undefined;
    for (const ar of byFormat.get(parsed.format) ?? []) {
      let reports;
      try {
        reports = ar.rule.check(doc, ctx);
      } catch (err) {
        runtimeFailures++;
        notes.push({ file, kind: 'internal', message: `rule ${ar.rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      for (const r of reports) {
        const at: Location = r.at;
        const where = at.file ?? file;
        if (where === elsewhere) continue;
        const severity = r.severity && ar.severity === ar.rule.meta.severity ? r.severity : ar.severity;
        const finding: Finding = {
          ruleId: ar.rule.meta.id,
          severity,
          message: r.message,
          file: where,
          line: at.line,
          column: at.column,
          ...(at.endLine !== undefined ? { endLine: at.endLine } : {}),
          ...(at.endColumn !== undefined ? { endColumn: at.endColumn } : {}),
          remediation: ar.rule.meta.remediation,
          fingerprint: fingerprint(ar.rule.meta.id, where, r.key ?? r.message),
        };
        findings.push(finding);
        if (r.covers && r.covers.length > 0) covers.set(finding, r.covers);
      }
    }
  }

  const texts = new Map<string, string>();
  for (const f of findings) {
    const t = cache.byDisplay.get(f.file);
    if (t !== undefined) texts.set(f.file, t);
  }
  const coverList: Array<readonly [number, readonly number[]]> = [];
  findings.forEach((f, idx) => {
    const c = covers.get(f);
    if (c) coverList.push([idx, c]);
  });
  return { findings, covers: coverList, notes, files: linted, parseErrors, runtimeFailures, skipped, skippedExplicit, texts: [...texts] };
}

/** The run-wide steps over the parts of a run, in file order: de-duplication, supersedes, suppressions, sorting. */
export function finishLint(parts: readonly LintPart[], opts: LintOptions): LintResult {
  const findings: Finding[] = [];
  const covers = new Map<Finding, readonly number[]>();
  const texts = new Map<string, string>();
  const notes: Note[] = [];
  const linted: string[] = [];
  let parseErrors = 0;
  let runtimeFailures = 0;
  let skipped = 0;
  let skippedExplicit = 0;
  for (const part of parts) {
    const base = findings.length;
    findings.push(...part.findings);
    for (const [idx, lines] of part.covers) covers.set(findings[base + idx] as Finding, lines);
    for (const [file, text] of part.texts) if (!texts.has(file)) texts.set(file, text);
    notes.push(...part.notes);
    linted.push(...part.files);
    parseErrors += part.parseErrors;
    runtimeFailures += part.runtimeFailures;
    skipped += part.skipped;
    skippedExplicit += part.skippedExplicit;
  }
  const metas = new Map(opts.rules.map((ar) => [ar.rule.meta.id, ar.rule.meta]));
  const kept = applySuppressions(supersede(dedupe(findings), metas, (f) => covers.get(f) ?? [f.line]), (f) => texts.get(f), opts.suppressions ?? [], opts.today, notes, opts.configPath);
  kept.findings.sort(byPosition);
  return { findings: kept.findings, notes, files: linted, parseErrors, runtimeFailures, suppressed: kept.suppressed, silenced: kept.silenced, skipped, skippedExplicit };
}

/**
 * Drops findings that a more specific rule reported on every line they are about (see RuleMeta.supersedes and
 * Report.covers): one mistake is reported once, by its best name.
 */
function supersede(findings: Finding[], metas: ReadonlyMap<string, { readonly supersedes?: readonly string[] }>, linesOf: (f: Finding) => readonly number[]): Finding[] {
  const atLine = new Map<string, Set<string>>();
  for (const f of findings) {
    for (const line of linesOf(f)) {
      const k = `${f.file}\0${line}`;
      let set = atLine.get(k);
      if (!set) atLine.set(k, (set = new Set()));
      set.add(f.ruleId);
    }
  }
  const superseded = (f: Finding, line: number): boolean => {
    for (const other of atLine.get(`${f.file}\0${line}`) ?? []) if (other !== f.ruleId && metas.get(other)?.supersedes?.includes(f.ruleId)) return true;
    return false;
  };
  return findings.filter((f) => !linesOf(f).every((line) => superseded(f, line)));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const k = `${f.file}\0${f.line}\0${f.column}\0${f.ruleId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}
