import type { ComposeDocument, LintDocument, Setting } from './document.js';
import { agentImage } from './rule-helpers.js';
import type { Location } from './types.js';

/** One Traefik option, static or dynamic, as a dotted lower-case key (`providers.docker.exposedbydefault`). */
export interface TraefikEntry {
  readonly key: string;
  readonly value: string;
  readonly at: Location;
  /** The compose service whose labels or command carry it. */
  readonly service?: string;
}

/** Everything one file says about Traefik: a static/dynamic YAML or TOML file, or a compose file's command flags and labels. */
export interface TraefikModel {
  readonly entries: readonly TraefikEntry[];
  /** The image of each compose service whose labels define routers, to tell agent services apart. */
  readonly images: ReadonlyMap<string, string>;
  get(key: string): TraefikEntry | undefined;
  under(prefix: string): TraefikEntry[];
}

function model(entries: TraefikEntry[], images: Map<string, string>): TraefikModel {
  const byKey = new Map<string, TraefikEntry>();
  for (const e of entries) byKey.set(e.key, e);
  return { entries, images, get: (k) => byKey.get(k), under: (p) => entries.filter((e) => e.key.startsWith(`${p}.`) || e.key === p) };
}

/** A compose file: `--flag=value` command arguments of Traefik containers and `traefik.*` labels of every service. */
function fromCompose(doc: ComposeDocument): TraefikModel {
  const entries: TraefikEntry[] = [];
  const images = new Map<string, string>();
  for (const svc of doc.services) {
    const image = svc.image?.value ?? svc.image?.raw ?? '';
    images.set(svc.name, image);
    const cmd = svc.get('command');
    if (cmd?.kind === 'seq' && /traefik/i.test(image)) {
      for (const it of cmd.items) {
        if (it.kind !== 'scalar') continue;
        const m = /^--([\w.\-/]+)(?:=(.*))?$/.exec(it.raw.trim());
        if (m) entries.push({ key: (m[1] as string).toLowerCase(), value: m[2] ?? 'true', at: it.at, service: svc.name });
      }
    }
    const labels = svc.get('labels');
    const add = (k: string, v: string, at: Location): void => {
      if (!/^traefik\./i.test(k)) return;
      entries.push({ key: k.slice('traefik.'.length).toLowerCase(), value: v, at, service: svc.name });
    };
    if (labels?.kind === 'seq') {
      for (const it of labels.items) {
        if (it.kind !== 'scalar') continue;
        const text = it.value ?? it.raw;
        const eq = text.indexOf('=');
        if (eq > 0) add(text.slice(0, eq).trim(), text.slice(eq + 1).trim(), it.at);
      }
    } else if (labels?.kind === 'map') {
      for (const e of labels.entries) if (e.value.kind === 'scalar') add(e.key, e.value.value ?? e.value.raw, e.value.at);
    }
  }
  return model(entries, images);
}

function fromSettings(settings: readonly Setting[]): TraefikModel {
  return model(
    settings.map((s) => ({ key: s.key.toLowerCase(), value: s.raw ?? '', at: s.valueAt })),
    new Map(),
  );
}

const CACHE = new WeakMap<LintDocument, TraefikModel>();

/** The Traefik view of a document (cached per document): compose labels/flags or a Traefik config file. */
export function traefikModel(doc: LintDocument): TraefikModel | undefined {
  if (doc.format !== 'compose' && doc.format !== 'traefik') return undefined;
  let m = CACHE.get(doc);
  if (!m) {
    m = doc.format === 'compose' ? fromCompose(doc) : fromSettings(doc.settings);
    CACHE.set(doc, m);
  }
  return m;
}

export function isTrueValue(v: string | undefined): boolean {
  return v !== undefined && /^true$/i.test(v.trim());
}

/** Names of the objects defined under `http.<section>.` (routers, middlewares, services). */
export function names(m: TraefikModel, section: string): string[] {
  const out = new Set<string>();
  const p = `http.${section}.`;
  for (const e of m.entries) if (e.key.startsWith(p)) out.add(e.key.slice(p.length).split('.')[0] as string);
  return [...out];
}

export type MiddlewareKind = 'auth' | 'ratelimit' | 'redirect' | 'other';

const AUTH_TYPES = ['basicauth', 'digestauth', 'forwardauth'];

/** What a middleware does, from its definition in this file or, when defined elsewhere, from its name. */
export function middlewareKinds(m: TraefikModel, ref: string, depth = 0): Set<MiddlewareKind> {
  const name = ref.trim().replace(/@\w+$/, '').toLowerCase();
  const defs = m.under(`http.middlewares.${name}`);
  const out = new Set<MiddlewareKind>();
  if (defs.length === 0) {
    if (/auth|oauth|jwt|sso|login|keycloak|authelia|authentik|oidc/.test(name)) out.add('auth');
    if (/rate|limit|throttl/.test(name)) out.add('ratelimit');
    if (/redirect|https/.test(name)) out.add('redirect');
    return out;
  }
  for (const d of defs) {
    const type = d.key.slice(`http.middlewares.${name}.`.length).split('.')[0] ?? '';
    if (AUTH_TYPES.includes(type)) out.add('auth');
    else if (type === 'ratelimit' || type === 'inflightreq') out.add('ratelimit');
    else if (type === 'redirectscheme' || type === 'redirectregex') out.add('redirect');
    else if (type === 'chain' && d.key.endsWith('.middlewares') && depth < 8) for (const r of d.value.split(',')) for (const k of middlewareKinds(m, r, depth + 1)) out.add(k);
  }
  return out;
}

/** Routers with their middlewares, service and entry points, from labels or a dynamic file. */
export interface Router {
  readonly name: string;
  readonly at: Location;
  readonly rule: string;
  readonly service: string | undefined;
  readonly middlewares: readonly string[];
  readonly entryPoints: readonly string[];
  /** The compose service whose labels define it. */
  readonly owner: string | undefined;
}

export function routers(m: TraefikModel): Router[] {
  return names(m, 'routers').map((name) => {
    const p = `http.routers.${name}`;
    const all = m.under(p);
    const first = all[0] as TraefikEntry;
    const list = (k: string): string[] => (m.get(`${p}.${k}`)?.value ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
    return { name, at: (m.get(`${p}.rule`) ?? first).at, rule: m.get(`${p}.rule`)?.value ?? '', service: m.get(`${p}.service`)?.value, middlewares: list('middlewares'), entryPoints: list('entrypoints'), owner: first.service };
  });
}

/** Whether a router leads to an agent, LLM or MCP server: by the container image, the service name or the path rule. */
export function isAgentRouter(m: TraefikModel, r: Router): boolean {
  const svc = (r.service ?? r.owner ?? '').replace(/@\w+$/, '');
  if (svc === 'api' && r.service?.endsWith('@internal')) return false;
  const image = m.images.get(r.owner ?? '') ?? '';
  const ownerIsTarget = r.service === undefined || svc === r.owner || m.under(`http.services.${svc}`).some((e) => e.service === r.owner);
  if (ownerIsTarget && image && agentImage(image)) return true;
  if (/ollama|webui|open-webui|letta|litellm|vllm|librechat|flowise|langfuse|dify|n8n|anythingllm|mcp|llm|agent/i.test(svc)) return true;
  return /PathPrefix\(`\/(?:mcp|v1|api|ws|socket\.io)\b/i.test(r.rule);
}
