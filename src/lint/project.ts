import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { ComposeService, SecretFile, Setting, TraefikFileEntry } from './document.js';
import { upperSnake } from './document.js';
import { looksLikeCompose, looksLikeNginx, looksLikeTraefik } from './formats.js';
import { expandGlob, isGlob } from './glob.js';
import { parseCaddyfile, walkCaddy, type ParsedCaddy } from './parse/caddy.js';
import { parseCompose } from './parse/compose.js';
import { parseEnv } from './parse/env.js';
import { zonesOf } from './nginx-helpers.js';
import { parseNginx, walkNginx, type NginxParse } from './parse/nginx.js';
import { parseTomlSettings, parseYamlSettings, type ParsedSettings } from './parse/settings.js';
import type { PMap, VarSource } from './parse/yaml.js';
import { parseImage } from './rule-helpers.js';

/**
 * Cross-file lookups: what a file's neighbours say about it (the nginx or Traefik in front of a compose service, the
 * env files it loads, the compose file that builds a Dockerfile). Everything is read through `ProjectFiles`, which the
 * engine backs with its per-run text cache, so each neighbour is read once per run however many files ask.
 */
export interface ProjectFiles {
  /** The file's text, or null when it is missing, unreadable or binary. */
  get(abs: string): string | null;
  /** Entry names of a directory; empty when it is not one. */
  list(absDir: string): readonly string[];
  /** The path shown in findings. */
  display(abs: string): string;
  /** Whether git ignores the file, and whether it is in a work tree; undefined when that cannot be told. */
  ignored?(abs: string): { readonly ignored: boolean; readonly repo: boolean } | undefined;
}

/** Bounds on what one compose file may pull in, so a huge checkout cannot stall a run. */
const MAX_NEIGHBOURS = 64;

/** Per run: parsed neighbours, keyed by absolute path. */
const NGINX = new WeakMap<ProjectFiles, Map<string, NginxParse | null>>();
const SETTINGS = new WeakMap<ProjectFiles, Map<string, ParsedSettings | null>>();
const COMPOSE = new WeakMap<ProjectFiles, Map<string, ComposeParse | null>>();
const TRAEFIK = new WeakMap<ProjectFiles, Map<string, readonly TraefikFileEntry[] | null>>();
const BUILDS = new WeakMap<ProjectFiles, Map<string, readonly string[]>>();

function memo<V>(store: WeakMap<ProjectFiles, Map<string, V>>, fs: ProjectFiles): Map<string, V> {
  let m = store.get(fs);
  if (!m) store.set(fs, (m = new Map()));
  return m;
}

/**
 * Parses a neighbour once per run, and keeps it: several files may look at the same neighbour. The engine, linting
 * the file itself, passes `keep = false`: it reuses a parse a neighbour lookup made, but does not keep its own (every
 * linted file's tree held until the end of the run would only cost memory and garbage-collection time).
 */
function parsedOnce<V>(store: WeakMap<ProjectFiles, Map<string, V | null>>, abs: string, fs: ProjectFiles, keep: boolean, parse: (text: string) => V | null): V | null {
  const cache = memo(store, fs);
  if (cache.has(abs)) return cache.get(abs) ?? null;
  const text = fs.get(abs);
  const out = text === null ? null : parse(text);
  if (keep) cache.set(abs, out);
  return out;
}

/** A compose file parsed with its sibling `.env` for `${VAR}` interpolation. */
export interface ComposeParse extends ReturnType<typeof parseCompose> {
  /** The sibling `.env` that was read, if any. */
  readonly envAbs: string | undefined;
}

export function composeParse(abs: string, fs: ProjectFiles, keep = true): ComposeParse | null {
  return parsedOnce(COMPOSE, abs, fs, keep, (text) => {
    const envAbs = join(dirname(abs), '.env');
    const envText = envAbs === abs ? null : fs.get(envAbs);
    const vars = new Map<string, VarSource>();
    if (envText !== null) {
      const envFile = fs.display(envAbs);
      for (const e of parseEnv(envText).entries) if (e.value !== undefined) vars.set(e.key, { value: e.value, at: { ...e.valueAt, file: envFile } });
    }
    return { ...parseCompose(text, (n) => vars.get(n)), envAbs: envText !== null ? envAbs : undefined };
  });
}

const LOWER = new WeakMap<readonly string[], Map<string, string>>();

/** A directory listing by lower-case name (once per listing: a directory of a hundred compose files asks often). */
function lowerNames(entries: readonly string[]): Map<string, string> {
  let m = LOWER.get(entries);
  if (!m) {
    m = new Map();
    for (const e of entries) if (!m.has(e.toLowerCase())) m.set(e.toLowerCase(), e);
    LOWER.set(entries, m);
  }
  return m;
}

/** The file names Compose picks by itself, in its order of preference, and the override it merges into them. */
const CANONICAL_COMPOSE = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const AUTO_OVERRIDE = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** The compose file a compose file is merged with, and which of the two it is. */
export interface ComposeMerge {
  /** `overlay`: this file is merged onto `partner`; `base`: `partner` (its auto override) is merged onto this file. */
  readonly role: 'overlay' | 'base';
  readonly partnerAbs: string;
  readonly partner: ComposeParse;
}

/**
 * Cross-file: the file Compose merges this one with. A canonical file (`compose.yaml`) with a `compose.override.yaml`
 * beside it is always run merged with it; an `*.override.yml`, or a file whose services the base defines and
 * that leaves some of them without `image:` and `build:` (it only adds labels, networks, devices …), is an overlay
 * of the canonical file beside it, run as `docker compose -f base -f overlay`.
 */
export function composeMergePartner(abs: string, services: readonly ComposeService[], fs: ProjectFiles): ComposeMerge | undefined {
  const dir = dirname(abs);
  const name = basename(abs).toLowerCase();
  const entries = lowerNames(fs.list(dir));
  const find = (names: readonly string[]): string | undefined => {
    for (const n of names) {
      const hit = entries.get(n);
      if (hit !== undefined) return join(dir, hit);
    }
    return undefined;
  };
  const parsed = (p: string): ComposeParse | undefined => {
    const text = fs.get(p);
    const c = text !== null && looksLikeCompose(text) ? composeParse(p, fs) : null;
    return c && c.errors.length === 0 ? c : undefined;
  };
  if (CANONICAL_COMPOSE.includes(name)) {
    const override = find(AUTO_OVERRIDE);
    const partner = override !== undefined ? parsed(override) : undefined;
    return override !== undefined && partner ? { role: 'base', partnerAbs: override, partner } : undefined;
  }
  const base = find(CANONICAL_COMPOSE);
  if (base === undefined || base === abs) return undefined;
  const overrideName = /(?:^|[._-])override\.ya?ml$/.test(name);
  if (!overrideName && !services.some((s) => s.get('image') === undefined && s.get('build') === undefined)) return undefined;
  const partner = parsed(base);
  if (!partner) return undefined;
  if (!overrideName && (services.length === 0 || !services.every((s) => partner.services.some((b) => b.name === s.name)))) return undefined;
  return { role: 'overlay', partnerAbs: base, partner };
}

/** A YAML/JSON or TOML file flattened to settings. */
export function settingsParse(abs: string, fs: ProjectFiles, keep = true, toml = /\.toml$/i.test(abs)): ParsedSettings | null {
  return parsedOnce(SETTINGS, abs, fs, keep, (text) => (toml ? parseTomlSettings(text) : parseYamlSettings(text)));
}

/** An nginx file with its includes (see parseNginxFile). */
export function nginxParse(abs: string, fs: ProjectFiles, keep = true): NginxParse | null {
  return parsedOnce(NGINX, abs, fs, keep, (text) => parseNginxFile(abs, text, fs));
}

/** Cross-file: the entries of each service's `env_file:` files (string, list, or `{path, required}` items). */
export function envFileEntries(composeAbs: string, services: readonly ComposeService[], fs: ProjectFiles): Setting[] {
  const out: Setting[] = [];
  for (const svc of services) {
    const node = svc.get('env_file');
    const items = node === undefined ? [] : node.kind === 'seq' ? node.items : [node];
    for (const it of items) {
      const path = it.kind === 'scalar' ? (it.value ?? undefined) : it.kind === 'map' && it.get('path')?.kind === 'scalar' ? (it.get('path') as { value: string | undefined }).value : undefined;
      if (!path || path.includes('$') || isAbsolute(path)) continue;
      const envAbs = join(dirname(composeAbs), path);
      const t = fs.get(envAbs);
      if (t === null) continue;
      const shown = fs.display(envAbs);
      for (const e of parseEnv(t).entries) {
        out.push({ key: e.key, name: upperSnake(e.key), path: upperSnake(e.key), raw: e.raw, value: e.value, interpolated: e.interpolated, origin: { kind: 'literal' }, defaults: [], at: { ...e.at, file: shown }, valueAt: { ...e.valueAt, file: shown }, service: svc.name });
      }
    }
  }
  return out;
}

/**
 * Cross-file: the files of top-level `secrets:` entries (`db_password: {file: ./secrets/db_password}`), read relative
 * to the compose file as Compose does, with whether git ignores them. Missing files are left out: a deploy creates them.
 */
export function composeSecretFiles(composeAbs: string, top: PMap | undefined, fs: ProjectFiles): SecretFile[] {
  const secrets = top?.get('secrets');
  if (secrets?.kind !== 'map') return [];
  const out: SecretFile[] = [];
  for (const e of secrets.entries) {
    const file = e.value.kind === 'map' ? e.value.get('file') : undefined;
    if (file?.kind !== 'scalar') continue;
    const path = file.value;
    if (!path || path.includes('$') || path.startsWith('~')) continue;
    const abs = isAbsolute(path) ? path : join(dirname(composeAbs), path);
    const text = fs.get(abs);
    if (text === null) continue;
    const git = fs.ignored?.(abs);
    out.push({ name: e.key, path, file: fs.display(abs), at: file.at, value: text.replace(/\r?\n$/, ''), ignored: git === undefined || !git.repo ? undefined : git.ignored });
  }
  return out.slice(0, MAX_NEIGHBOURS);
}

// --- nginx -----------------------------------------------------------------------------------------------------

/** Where compose projects keep nginx configuration, relative to the compose file: every `*.conf(.template)` in them. */
const NGINX_DIRS = ['.', 'nginx', 'nginx/conf.d', 'nginx/sites-enabled', 'nginx/templates', 'conf.d', 'proxy', 'proxy/conf.d'];
const NGINX_NAME = /\.conf(?:\.template)?$/i;
const NGINX_IMAGE = /(?:^|\/)(?:nginx|openresty|nginx-unprivileged|angie)(?:$|[-/])/;
const TRAEFIK_IMAGE = /(?:^|\/)traefik(?:$|[-/])/;
const CADDY_IMAGE = /(?:^|\/)caddy(?:$|[-/])/;

/**
 * Parses an nginx file with its includes resolved relative to the including file, globs (`include conf.d/*.conf;`)
 * expanded with the directory listing. Absolute include paths name the server's disk, not the repository: unresolved.
 */
export function parseNginxFile(abs: string, text: string, fs: ProjectFiles, template = /\.template(?:\.[a-z0-9_-]+)?$/i.test(abs)): NginxParse {
  const absOf = new Map<string, string>();
  const dirOf = (from: string | undefined): string => dirname(from === undefined ? abs : (absOf.get(from) ?? abs));
  return parseNginx(text, {
    template,
    key: abs,
    read: (path, from) => {
      if (isAbsolute(path)) return null;
      const target = join(dirOf(from), path);
      const t = fs.get(target);
      if (t === null) return null;
      const shown = fs.display(target);
      absOf.set(shown, target);
      return { file: shown, key: target, text: t };
    },
    expand: (pattern, from) => {
      if (isAbsolute(pattern)) return null;
      const dir = dirOf(from);
      return expandGlob(pattern, dir, (d) => fs.list(d)).map((p) => relative(dir, p));
    },
  });
}

/**
 * Parses a Caddyfile with its `import`s of files resolved relative to the importing file (globs expanded with the
 * directory listing); absolute paths name the server's disk and are not followed.
 */
export function parseCaddyFile(abs: string, text: string, fs: ProjectFiles): ParsedCaddy {
  const absOf = new Map<string, string>();
  return parseCaddyfile(text, {
    read: (path, from) => {
      if (isAbsolute(path) || path.includes('{')) return null;
      const dir = dirname(from === undefined ? abs : (absOf.get(from) ?? abs));
      const targets = isGlob(path) ? expandGlob(path, dir, (d) => fs.list(d)) : [join(dir, path)];
      const out: Array<{ file: string; text: string }> = [];
      for (const t of targets.slice(0, MAX_NEIGHBOURS)) {
        const body = fs.get(t);
        if (body === null || t === abs) continue;
        const shown = fs.display(t);
        absOf.set(shown, t);
        out.push({ file: shown, text: body });
      }
      return out;
    },
  });
}

/** Bind-mount sources of the services whose image matches, resolved relative to the compose file (no variables). */
function mountedSources(composeAbs: string, services: readonly ComposeService[], image: RegExp): string[] {
  const out: string[] = [];
  for (const svc of services) {
    const img = svc.image?.value ?? svc.image?.raw;
    if (img === undefined || !image.test(parseImage(img).repo)) continue;
    for (const v of svc.volumes) {
      const src = v.source ?? v.sourceRaw;
      if (v.type !== 'bind' || src === undefined || src.includes('$') || isAbsolute(src) || src.startsWith('~')) continue;
      out.push(join(dirname(composeAbs), src));
    }
  }
  return out;
}

/** The files a mount source or a conventional directory stands for: the file itself, or the matching files in it. */
function filesAt(path: string, fs: ProjectFiles, name: RegExp): string[] {
  const entries = fs.list(path);
  if (entries.length === 0) return name.test(basename(path)) || fs.get(path) !== null ? [path] : [];
  return [...entries].sort().filter((e) => name.test(e) && !e.startsWith('.')).map((e) => join(path, e));
}

function unique(paths: Iterable<string>): string[] {
  return [...new Set(paths)].slice(0, MAX_NEIGHBOURS);
}

function nginxNeighbours(composeAbs: string, services: readonly ComposeService[], fs: ProjectFiles): string[] {
  const dir = dirname(composeAbs);
  const mounted = mountedSources(composeAbs, services, NGINX_IMAGE).flatMap((p) => filesAt(p, fs, /\.conf(?:\.template)?$|\.conf\.[a-z0-9_-]+$|^nginx\.conf/i));
  const conventional = NGINX_DIRS.flatMap((d) => fs.list(join(dir, d)).filter((e) => NGINX_NAME.test(e)).sort().map((e) => join(dir, d, e)));
  return unique([...mounted, ...conventional]);
}

function nginxOf(abs: string, fs: ProjectFiles): NginxParse | null {
  const text = fs.get(abs);
  return text !== null && looksLikeNginx(text) ? nginxParse(abs, fs) : null;
}

/**
 * Cross-file: the zones defined by the nginx files that may load this one: those of its directory and the directory
 * above (`nginx.conf` beside `conf.d/`), and `run` (the nginx files of the run).
 */
export function nearbyNginxZones(abs: string, fs: ProjectFiles, run: readonly string[]): Set<string> {
  const dir = dirname(abs);
  const candidates = unique([...[dir, dirname(dir)].flatMap((d) => fs.list(d).filter((e) => NGINX_NAME.test(e)).sort().map((e) => join(d, e))), ...run]).filter((p) => p !== abs);
  const out = new Set<string>();
  for (const p of candidates) {
    const parsed = nginxOf(p, fs);
    if (parsed) for (const z of zonesOf(parsed.directives)) out.add(z);
  }
  return out;
}

/**
 * Cross-file: the compose services in this file's directory and the two above that run an agent, LLM or MCP server
 * (by image), so that an nginx `proxy_pass http://api:5001` is known to front one.
 */
export function nearbyAgentServices(abs: string, fs: ProjectFiles, what: (svc: ComposeService) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  let d = dirname(abs);
  for (let i = 0; i < 3; i++) {
    for (const e of fs.list(d).filter((n) => /^(?:docker-)?compose[^/]*\.ya?ml$/i.test(n)).sort()) {
      const p = join(d, e);
      const text = fs.get(p);
      if (text === null || !looksLikeCompose(text)) continue;
      for (const svc of composeParse(p, fs)?.services ?? []) {
        const w = what(svc);
        if (w !== undefined && !out.has(svc.name)) out.set(svc.name, w);
      }
    }
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}

// --- Traefik ---------------------------------------------------------------------------------------------------

/** Where compose projects keep Traefik configuration, relative to the compose file. */
const TRAEFIK_DIRS = ['.', 'traefik', 'traefik/dynamic', 'traefik/config', 'traefik/conf.d', 'traefik/rules', 'dynamic', 'config/traefik'];
const TRAEFIK_NAME = /\.(?:ya?ml|toml)$/i;

/** A Traefik YAML/TOML file, flattened to lower-case dotted keys (cached per run); null when it is not one. */
export function traefikFile(abs: string, fs: ProjectFiles): readonly TraefikFileEntry[] | null {
  if (!TRAEFIK_NAME.test(abs)) return null;
  return parsedOnce(TRAEFIK, abs, fs, true, (text) => {
    if (!looksLikeTraefik(text)) return null;
    const p = settingsParse(abs, fs);
    const file = fs.display(abs);
    return (p?.settings ?? []).map((s) => ({ key: s.key.toLowerCase(), value: s.raw ?? '', at: { ...s.valueAt, file } }));
  });
}

/** Traefik files a compose project carries: mounted into a Traefik container, or in the usual directories. */
export function traefikNeighbours(composeAbs: string, services: readonly ComposeService[], fs: ProjectFiles): string[] {
  const dir = dirname(composeAbs);
  const mounted = mountedSources(composeAbs, services, TRAEFIK_IMAGE).flatMap((p) => filesAt(p, fs, TRAEFIK_NAME));
  // Beside the compose file only files named for Traefik (`traefik.yml`, `dynamic.toml`); in its directories, all.
  const conventional = TRAEFIK_DIRS.flatMap((d) => fs.list(join(dir, d)).filter((e) => TRAEFIK_NAME.test(e) && (d !== '.' || /traefik|dynamic/i.test(e)) && !/compose/i.test(e)).sort().map((e) => join(dir, d, e)));
  return unique([...mounted, ...conventional]).filter((p) => p !== composeAbs && traefikFile(p, fs) !== null);
}

/** The other Traefik files of a dynamic file's directory: the file provider's `directory` merges them all. */
export function traefikSiblings(abs: string, fs: ProjectFiles): string[] {
  const dir = dirname(abs);
  return unique(fs.list(dir).filter((e) => TRAEFIK_NAME.test(e)).sort().map((e) => join(dir, e))).filter((p) => p !== abs && traefikFile(p, fs) !== null);
}

/** The host of a URL or `host:port` (`http://letta:8283/v1` → `letta`). */
function hostOf(target: string | undefined): string | undefined {
  return target?.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/:$?#]/)[0];
}

// --- proxy-bypass ----------------------------------------------------------------------------------------------

/**
 * Cross-file: the compose services a proxy configuration of the project sends traffic to, with a description of
 * that proxy — nginx (`proxy_pass`, `grpc_pass`, `upstream` servers; includes and `conf.d/*.conf` globs followed) or a
 * Traefik dynamic file (`loadBalancer.servers[].url`), found mounted into the proxy's container or in the usual places.
 */
export function proxiedBy(composeAbs: string, services: readonly ComposeService[], fs: ProjectFiles): Map<string, string> {
  const out = new Map<string, string>();
  const names = new Set(services.map((s) => s.name));
  for (const confAbs of nginxNeighbours(composeAbs, services, fs)) {
    const p = nginxOf(confAbs, fs);
    if (!p) continue;
    walkNginx(p.directives, (d) => {
      const target = d.name === 'proxy_pass' || d.name === 'grpc_pass' || d.name === 'uwsgi_pass' || d.name === 'fastcgi_pass' ? d.args[0]?.value : d.name === 'server' && d.parent?.name === 'upstream' ? d.args[0]?.value : undefined;
      const host = hostOf(target);
      if (host && names.has(host) && !out.has(host)) out.set(host, `nginx (${d.at.file ?? fs.display(confAbs)})`);
    });
  }
  // Caddyfiles mounted into a Caddy container or beside the compose file: their reverse_proxy upstreams.
  const dir = dirname(composeAbs);
  const beside = [dir, join(dir, 'caddy')].flatMap((d) => fs.list(d).filter((e) => e === 'Caddyfile').map((e) => join(d, e)));
  const caddyfiles = unique([...mountedSources(composeAbs, services, CADDY_IMAGE).flatMap((p) => filesAt(p, fs, /^caddyfile/i)), ...beside]);
  for (const abs of caddyfiles) {
    const text = fs.get(abs);
    if (text === null) continue;
    const parsed = parseCaddyFile(abs, text, fs);
    for (const site of parsed.sites) {
      walkCaddy(site.directives, (d) => {
        if (d.name !== 'reverse_proxy') return;
        for (const t of [...d.args, ...(d.block ?? []).filter((x) => x.name === 'to').flatMap((x) => x.args)]) {
          const host = hostOf(t.value);
          if (host && names.has(host) && !out.has(host)) out.set(host, `Caddy (${fs.display(abs)})`);
        }
      });
    }
  }
  for (const abs of traefikNeighbours(composeAbs, services, fs)) {
    for (const e of traefikFile(abs, fs) ?? []) {
      if (!/^http\.services\.[^.]+\.loadbalancer\.servers\.\d+\.url$/.test(e.key)) continue;
      const host = hostOf(e.value);
      if (host && names.has(host) && !out.has(host)) out.set(host, `Traefik (${fs.display(abs)})`);
    }
  }
  return out;
}

// --- Dockerfile HEALTHCHECK ------------------------------------------------------------------------------------

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/**
 * Cross-file: whether a compose file beside the Dockerfile, or in its parent directory, builds it (`build:` context
 * and `dockerfile:`) into a service with an enabled `healthcheck:` — then the image needs no HEALTHCHECK of its own.
 */
export function composeBuildsWithHealthcheck(dockerfileAbs: string, fs: ProjectFiles): boolean {
  const dir = dirname(dockerfileAbs);
  for (const d of [dir, dirname(dir)]) {
    for (const n of COMPOSE_NAMES) {
      for (const built of healthcheckedBuilds(join(d, n), fs)) if (built === dockerfileAbs) return true;
    }
  }
  return false;
}

/** Per run: the Dockerfiles each compose file builds into a service with a healthcheck, parsed once. */
function healthcheckedBuilds(composeAbs: string, fs: ProjectFiles): readonly string[] {
  const cache = memo(BUILDS, fs);
  const hit = cache.get(composeAbs);
  if (hit) return hit;
  const out: string[] = [];
  const text = fs.get(composeAbs);
  const parsed = text !== null && looksLikeCompose(text) ? composeParse(composeAbs, fs) : null;
  if (parsed) {
    const d = dirname(composeAbs);
    for (const svc of parsed.services) {
      const hc = svc.get('healthcheck');
      const disable = hc?.kind === 'map' ? hc.get('disable') : undefined;
      if (hc?.kind !== 'map' || (disable?.kind === 'scalar' && /^true$/i.test(disable.raw))) continue;
      const build = svc.get('build');
      let context: string | undefined;
      let dockerfile = 'Dockerfile';
      if (build?.kind === 'scalar') context = build.value ?? build.raw;
      else if (build?.kind === 'map') {
        const c = build.get('context');
        const f = build.get('dockerfile');
        context = c?.kind === 'scalar' ? (c.value ?? c.raw) : '.';
        if (f?.kind === 'scalar') dockerfile = f.value ?? f.raw;
      }
      if (context === undefined || /^[a-z]+:\/\//i.test(context)) continue;
      out.push(join(d, context, dockerfile));
    }
  }
  cache.set(composeAbs, out);
  return out;
}

/**
 * Cross-file: the middlewares Traefik's file provider knows besides the file at hand, as one namespace (the provider
 * merges every file it reads): for each name, the definition in the nearest of `candidates` that defines it.
 */
export function fileProviderMiddlewares(docAbs: string, candidates: readonly string[], fs: ProjectFiles): TraefikFileEntry[] {
  const sorted = [...new Set(candidates)].filter((p) => p !== docAbs).sort((a, b) => sharedDepth(b, docAbs) - sharedDepth(a, docAbs) || (a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const out: TraefikFileEntry[] = [];
  for (const abs of sorted) {
    const here = new Map<string, TraefikFileEntry[]>();
    for (const e of traefikFile(abs, fs) ?? []) {
      const m = /^http\.middlewares\.([^.]+)\./.exec(e.key);
      if (!m) continue;
      const name = m[1] as string;
      if (!here.has(name)) here.set(name, []);
      here.get(name)?.push(e);
    }
    for (const [name, entries] of here) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(...entries);
    }
  }
  return out;
}

/** How many leading directories two absolute paths share: the nearer file wins when two define the same name. */
function sharedDepth(a: string, b: string): number {
  const pa = dirname(a).split(sep);
  const pb = dirname(b).split(sep);
  let n = 0;
  while (n < pa.length && n < pb.length && pa[n] === pb[n]) n++;
  return n;
}
