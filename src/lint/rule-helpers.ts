import type { ComposeDocument, ComposeService, LintDocument, PortSpec, Setting } from './document.js';
import { datastoreImage, isInfraImage } from './images.js';
import type { Location } from './types.js';

/** true/1/yes/on/enabled, case-insensitive. */
export function isOn(v: string | undefined): boolean {
  return v !== undefined && /^(?:true|1|yes|on|enabled?|y)$/i.test(v.trim());
}

/** false/0/no/off/disabled, case-insensitive. */
export function isOff(v: string | undefined): boolean {
  return v !== undefined && /^(?:false|0|no|off|disabled?|n)$/i.test(v.trim());
}

export function settingsOf(doc: LintDocument): readonly Setting[] {
  return doc.settings;
}

/** Settings whose normalised name matches; for settings files the last segment, for env files the whole key. */
export function named(doc: LintDocument, re: RegExp): Setting[] {
  return doc.settings.filter((s) => re.test(s.name));
}

/** The place to report a setting's value. */
export function valueLoc(s: Setting): Location {
  return s.valueAt;
}

/** A fingerprint key for a setting: the service (if any) and the key, never the value. */
export function settingKey(s: Setting): string {
  return `${s.service ?? ''}:${s.key}`;
}

export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const h = host.trim().replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === 'ip6-localhost';
}

/** A port published on every interface: no host IP, or 0.0.0.0 / ::. */
export function isPublicPort(p: PortSpec): boolean {
  const h = p.hostIp?.trim().replace(/^\[|\]$/g, '');
  return h === undefined || h === '' || h === '0.0.0.0' || h === '::' || h === '*';
}

/** A bind address that listens beyond the machine: 0.0.0.0, ::, or a non-loopback address. */
export function isWildcardBind(v: string | undefined): boolean {
  if (v === undefined) return false;
  const h = v.trim().replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '*' || h === '';
}

export interface ImageRef {
  /** Repository without registry: `open-webui/open-webui`. */
  readonly repo: string;
  /** Last path segment: `open-webui`. */
  readonly name: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const IMAGES = new Map<string, ImageRef>();

/** An image reference split into repository, name, tag and digest (memoised: every compose rule asks). */
export function parseImage(ref: string): ImageRef {
  const hit = IMAGES.get(ref);
  if (hit) return hit;
  const out = splitImage(ref);
  if (IMAGES.size < 20_000) IMAGES.set(ref, out);
  return out;
}

function splitImage(ref: string): ImageRef {
  let s = ref.trim();
  let digest: string | undefined;
  const at = s.indexOf('@');
  if (at >= 0) {
    digest = s.slice(at + 1);
    s = s.slice(0, at);
  }
  let tag: string | undefined;
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  const parts = s.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] as string)) parts.shift();
  const repo = parts.join('/').toLowerCase();
  return { repo, name: (parts[parts.length - 1] ?? '').toLowerCase(), tag, digest };
}

/** Agent, LLM and MCP servers by image, with the port each listens on. */
const AGENT_IMAGES: ReadonlyArray<{ readonly re: RegExp; readonly what: string }> = [
  { re: /(?:^|\/)letta(?:$|[-/])/, what: 'Letta' },
  { re: /open-?webui/, what: 'Open WebUI' },
  { re: /librechat/, what: 'LibreChat' },
  { re: /(?:^|\/)ollama$/, what: 'Ollama' },
  { re: /litellm/, what: 'LiteLLM' },
  { re: /(?:^|\/)vllm(?:$|[-/])|vllm-openai/, what: 'vLLM' },
  { re: /flowise/, what: 'Flowise' },
  { re: /(?:^|\/)langfuse(?:$|[-/])/, what: 'Langfuse' },
  { re: /(?:^|\/)n8n$|n8nio\/n8n/, what: 'n8n' },
  { re: /anything-?llm/, what: 'AnythingLLM' },
  { re: /dify-(?:api|web)|langgenius\//, what: 'Dify' },
  { re: /ragflow/, what: 'RAGFlow' },
  { re: /mem0/, what: 'mem0' },
  { re: /langflow/, what: 'Langflow' },
  { re: /localai/, what: 'LocalAI' },
  { re: /text-generation-inference|text-generation-webui/, what: 'a text-generation server' },
  { re: /lobe-?chat|chatbot-ui|big-agi|openhands|khoj|privategpt|h2ogpt|xinference|sillytavern|agent-zero/, what: 'an agent UI' },
  { re: /(?:^|[-/_])mcp(?:$|[-/_])|mcp-server|-mcp$/, what: 'an MCP server' },
];

export function agentImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const { repo, name } = parseImage(image);
  // The image's own name decides over its namespace: `acme-mcp/nginx` is nginx, `mcp/postgres` a datastore.
  if (isInfraImage(name) || datastoreImage(name) !== undefined) return undefined;
  return AGENT_IMAGES.find((a) => a.re.test(repo))?.what;
}

/** Ports distinctive enough to name an agent server on their own (generic 3000/8000/8080 are not). */
export const DISTINCTIVE_AGENT_PORTS: ReadonlyMap<number, string> = new Map([
  [8283, 'Letta'],
  [3080, 'LibreChat'],
  [11434, 'Ollama'],
  [5678, 'n8n'],
  [4000, 'LiteLLM'],
  [7860, 'Langflow/Gradio'],
]);

/** A service that runs an agent, LLM or MCP server, by image, name or distinctive port. */
const AGENTS = new WeakMap<ComposeService, string | null>();

export function agentService(svc: ComposeService): string | undefined {
  let hit = AGENTS.get(svc);
  if (hit === undefined) AGENTS.set(svc, (hit = whichAgent(svc) ?? null));
  return hit ?? undefined;
}

function whichAgent(svc: ComposeService): string | undefined {
  const image = svc.image?.value ?? svc.image?.raw;
  const byImage = agentImage(image);
  if (byImage) return byImage;
  // A known image that is no agent (nginx, Postgres, Traefik) is what it says, whatever its ports or name.
  const repo = image !== undefined ? parseImage(image).repo : undefined;
  if (repo !== undefined && (isInfraImage(repo) || datastoreImage(repo) !== undefined || PROXY_IMAGE.test(repo))) return undefined;
  if (!svc.image && AGENT_IMAGES.some((a) => a.re.test(svc.name.toLowerCase()))) return AGENT_IMAGES.find((a) => a.re.test(svc.name.toLowerCase()))?.what;
  // A distinctive port names the agent only when it is one port, not a range that happens to contain it.
  for (const p of svc.ports) if (p.containerPorts.length === 1 && DISTINCTIVE_AGENT_PORTS.has(p.containerPorts[0] as number)) return DISTINCTIVE_AGENT_PORTS.get(p.containerPorts[0] as number);
  return undefined;
}

/**
 * A reverse proxy of the project: a proxy image, or a service that an nginx/Traefik/Caddy configuration belongs to
 * (named so, publishing 80/443 and fronting others). Its own 80/443 are the project's entry point, not a bypass.
 */
export function isProxyService(doc: ComposeDocument, svc: ComposeService): boolean {
  const image = svc.image?.value ?? svc.image?.raw;
  if (image !== undefined && PROXY_IMAGE.test(parseImage(image).repo)) return true;
  return image === undefined && /(?:^|[-_])(?:proxy|nginx|traefik|caddy|haproxy|envoy|ingress|gateway|web-?server)(?:$|[-_\d])/i.test(svc.name) && svc.ports.some((p) => p.containerPorts.some((c) => c === 80 || c === 443));
}

/** The proxy's own web ports: what a reverse proxy is there to publish. */
export function isWebPort(p: PortSpec): boolean {
  return p.containerPorts.length > 0 && p.containerPorts.every((c) => c === 80 || c === 443 || c === 8443);
}

/** `port 8283:8283` or `ports 80:80, 443:443`: what a finding about several published ports of a service lists. */
export function portList(ports: readonly PortSpec[]): string {
  return `${ports.length === 1 ? 'port' : 'ports'} ${ports.map((p) => p.raw).join(', ')}`;
}

const PROXY_IMAGE = /(?:^|\/)(?:traefik|nginx|openresty|caddy|haproxy|envoy|oauth2-proxy|authelia|pomerium|authentik|nginx-proxy-manager|kong|tyk)(?:$|[-/])/;

/** The services that are reverse proxies, by image. */
export function proxyServices(doc: ComposeDocument): ComposeService[] {
  return doc.services.filter((s) => {
    const img = s.image?.value ?? s.image?.raw;
    return img !== undefined && PROXY_IMAGE.test(parseImage(img).repo);
  });
}

/** Whether a service carries Traefik routing labels (it is meant to be reached through the proxy). */
export function hasProxyLabels(svc: ComposeService): boolean {
  const labels = svc.get('labels');
  if (!labels) return false;
  if (labels.kind === 'seq') return labels.items.some((i) => i.kind === 'scalar' && /^traefik\.(?:enable\s*=\s*true|http\.routers\.)/i.test(i.raw));
  if (labels.kind === 'map') return labels.entries.some((e) => /^traefik\.http\.routers\./i.test(e.key) || (e.key === 'traefik.enable' && e.value.kind === 'scalar' && isOn(e.value.raw)));
  return false;
}

/** Datastore ports: Postgres, MySQL, Redis, MongoDB, Elasticsearch, Meilisearch, ClickHouse, MinIO/ClickHouse native, Qdrant, Milvus. */
export const DATASTORE_PORTS: ReadonlyMap<number, string> = new Map([
  [5432, 'PostgreSQL'],
  [3306, 'MySQL'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [9200, 'Elasticsearch'],
  [7700, 'Meilisearch'],
  [8123, 'ClickHouse'],
  [9000, 'ClickHouse/MinIO'],
  [6333, 'Qdrant'],
  [19530, 'Milvus'],
]);

/** `15m`, `1h`, `7d`, `3600` (seconds unless the name says otherwise), `1 day` → minutes; undefined if unreadable. */
export function durationMinutes(value: string, name: string): number | undefined {
  const v = value.trim().toLowerCase();
  const num = /^(\d+(?:\.\d+)?)$/.exec(v);
  if (num) {
    const n = Number(num[1]);
    if (/_MS$|MILLIS/.test(name)) return n / 60000;
    if (/_MIN(?:UTE)?S?$/.test(name)) return n;
    if (/_HOURS?$|_H$/.test(name)) return n * 60;
    if (/_DAYS?$|_D$/.test(name)) return n * 1440;
    return n / 60;
  }
  const re = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|years?)\b/g;
  let total = 0;
  let matched = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v)) !== null) {
    matched = true;
    const n = Number(m[1]);
    const u = m[2] as string;
    total += u === 'ms' || u.startsWith('milli') ? n / 60000 : u.startsWith('s') ? n / 60 : u.startsWith('m') ? n : u.startsWith('h') ? n * 60 : u.startsWith('d') ? n * 1440 : u.startsWith('w') ? n * 10080 : n * 525600;
  }
  return matched ? total : undefined;
}

/** `10mb`, `1g`, `1048576`, `100KiB` → bytes; undefined if unreadable. */
export function sizeBytes(value: string): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[(m[2] as string).toLowerCase()] ?? 1;
  return n * mult;
}

/** Whether a URL's host is this machine or an internal name (a compose service, *.internal, a private address). */
export function isInternalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (isLoopback(h) || h === '0.0.0.0') return true;
  if (!h.includes('.') && !h.includes(':')) return true;
  if (/\.(?:local|internal|lan|svc|cluster\.local|localhost|docker)$/.test(h) || h === 'host.docker.internal') return true;
  if (/^10\.|^192\.168\.|^172\.(?:1[6-9]|2\d|3[01])\.|^169\.254\./.test(h)) return true;
  if (/^\$\{?/.test(h)) return true;
  return false;
}

/** The host of an http(s) URL, or undefined. */
export function urlHost(value: string): { scheme: string; host: string } | undefined {
  const m = /^\s*(https?):\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/\s?#]+)/i.exec(value);
  return m ? { scheme: (m[1] as string).toLowerCase(), host: m[2] as string } : undefined;
}

/** A file path (`/certs/redis.key`, `./secrets/jwt`), which names where a secret lives rather than being one. */
export function looksLikePath(v: string): boolean {
  return /^(?:\/|\.\.?\/|~\/)[^\s]*$/.test(v.trim()) && !/^\/\//.test(v.trim());
}

/** How a setting is written, for messages: `KEY=value`, or a command-line flag as given (`--no-auth`, `--log-level debug`). */
export function written(s: Setting, value: string | undefined = s.value): string {
  if (s.flag) return value === undefined || value === 'true' ? s.key : `${s.key} ${value}`;
  return `${s.key}=${value ?? ''}`;
}
