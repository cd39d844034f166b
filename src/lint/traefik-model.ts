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
  /** The provider that reads this file: labels are Docker's, a YAML/TOML file is the file provider's. */
  readonly provider: 'docker' | 'file';
  /** The file provider's middlewares defined in other files (see `fileProvider` of the document), on first use. */
  readonly external: () => TraefikModel | undefined;
  get(key: string): TraefikEntry | undefined;
  under(prefix: string): TraefikEntry[];
}

function model(entries: readonly TraefikEntry[], images: Map<string, string>, provider: TraefikModel['provider'], external: () => readonly TraefikEntry[] = () => []): TraefikModel {
  const byKey = new Map<string, TraefikEntry>();
  for (const e of entries) byKey.set(e.key, e);
  let ext: TraefikModel | null | undefined;
  const self: TraefikModel = {
    entries,
    images,
    provider,
    external: () => {
      if (ext === undefined) {
        const list = external();
        // The other files share the file provider's namespace, and know this one's middlewares (a chain may point back).
        ext = list.length === 0 ? null : model([...list, ...(provider === 'file' ? entries : [])], new Map(), 'file');
      }
      return ext ?? undefined;
    },
    get: (k) => byKey.get(k),
    under: (p) => entries.filter((e) => e.key.startsWith(`${p}.`) || e.key === p),
  };
  return self;
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
  return model(entries, images, 'docker', doc.fileProvider);
}

function fromSettings(settings: readonly Setting[], fileProvider: (() => readonly TraefikEntry[]) | undefined): TraefikModel {
  return model(
    settings.map((s) => ({ key: s.key.toLowerCase(), value: s.raw ?? '', at: s.valueAt })),
    new Map(),
    'file',
    fileProvider,
  );
}

const CACHE = new WeakMap<LintDocument, TraefikModel>();

/** The Traefik view of a document (cached per document): compose labels/flags or a Traefik config file. */
export function traefikModel(doc: LintDocument): TraefikModel | undefined {
  if (doc.format !== 'compose' && doc.format !== 'traefik') return undefined;
  let m = CACHE.get(doc);
  if (!m) {
    m = doc.format === 'compose' ? fromCompose(doc) : fromSettings(doc.settings, doc.fileProvider);
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

/**
 * What a middleware does, from its definition where its provider keeps it: `name@docker` (or a bare name in labels)
 * in the labels, `name@file` (or a bare name in a dynamic file) in this file or another file of the file provider.
 * A middleware defined nowhere the linter can see (another provider, a file outside the run) is judged by its name.
 */
export function middlewareKinds(m: TraefikModel, ref: string, depth = 0): Set<MiddlewareKind> {
  const [base = '', provider] = ref.trim().toLowerCase().split('@');
  const name = base;
  const own = provider === undefined || provider === m.provider;
  let home: TraefikModel | undefined = own && m.under(`http.middlewares.${name}`).length > 0 ? m : undefined;
  if (!home && (provider === 'file' || (provider === undefined && m.provider === 'file'))) {
    const ext = m.external();
    if (ext && ext.under(`http.middlewares.${name}`).length > 0) home = ext;
  }
  const out = new Set<MiddlewareKind>();
  if (!home) {
    if (/auth|oauth|jwt|sso|login|keycloak|authelia|authentik|oidc/.test(name)) out.add('auth');
    if (/rate|limit|throttl/.test(name)) out.add('ratelimit');
    if (/redirect|https/.test(name)) out.add('redirect');
    return out;
  }
  for (const d of home.under(`http.middlewares.${name}`)) {
    const type = d.key.slice(`http.middlewares.${name}.`.length).split('.')[0] ?? '';
    if (AUTH_TYPES.includes(type)) out.add('auth');
    else if (type === 'ratelimit' || type === 'inflightreq') out.add('ratelimit');
    else if (type === 'redirectscheme' || type === 'redirectregex') out.add('redirect');
    // A chain's members belong to the chain's provider unless they name another.
    else if (type === 'chain' && d.key.endsWith('.middlewares') && depth < 8) for (const r of d.value.split(',')) for (const k of middlewareKinds(home, r, depth + 1)) out.add(k);
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
