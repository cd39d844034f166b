import type { Location, Position } from '../position.js';
import { upperSnake, type Setting } from '../setting.js';
import { flagSettings, splitCommand, type ArgToken } from './argv.js';
import { interpolate } from './interpolate.js';
import { parseYaml, str, type Lookup, type PMap, type PNode, type PScalar } from './yaml.js';

export interface PortSpec {
  readonly raw: string;
  /** Host address the port binds to; undefined means all interfaces. */
  readonly hostIp: string | undefined;
  readonly hostPort: string | undefined;
  /** First container port of the mapping. */
  readonly containerPort: number | undefined;
  /** Every container port of a range (capped). */
  readonly containerPorts: readonly number[];
  readonly protocol: string;
  readonly at: Position;
}

export interface VolumeSpec {
  readonly raw: string;
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** As written (before interpolation) and resolved. */
  readonly sourceRaw: string | undefined;
  readonly source: string | undefined;
  readonly target: string;
  readonly readOnly: boolean;
  readonly propagation: string | undefined;
  readonly at: Position;
}

export interface ComposeService {
  readonly name: string;
  readonly at: Position;
  readonly node: PMap;
  readonly image: PScalar | undefined;
  readonly ports: readonly PortSpec[];
  readonly volumes: readonly VolumeSpec[];
  readonly environment: readonly Setting[];
  /** The long flags of `entrypoint:` and `command:` as settings (`--no-auth`, `--host 0.0.0.0`); none for Traefik. */
  readonly flags: readonly Setting[];
  get(key: string): PNode | undefined;
  keyAt(key: string): Position | undefined;
}

export interface ParsedCompose {
  readonly services: ComposeService[];
  /** The top-level mapping (`name:`, `networks:`, `secrets:` …), when the file is one. */
  readonly top?: PMap;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
}

/** Parses a compose file as Compose resolves it: `lookup` is the sibling .env, `${VAR:-default}` understood. */
export function parseCompose(text: string, lookup: Lookup): ParsedCompose {
  const y = parseYaml(text, lookup);
  if (y.errors.length > 0) return { services: [], errors: y.errors };
  const root = y.root;
  if (!root) return { services: [], errors: [] };
  if (root.kind !== 'map') return { services: [], errors: [{ message: 'top level is not a mapping', at: root.at }] };
  const services: ComposeService[] = [];
  const svcNode = root.get('services');
  if (svcNode && svcNode.kind !== 'map' && !(svcNode.kind === 'scalar' && svcNode.yamlType === 'null')) {
    return { services, errors: [{ message: 'services is not a mapping', at: svcNode.at }] };
  }
  if (svcNode?.kind === 'map') {
    for (const e of svcNode.entries) {
      if (e.value.kind !== 'map') continue;
      services.push(service(e.key, e.keyAt, e.value, lookup));
    }
  }
  return { services, top: root, errors: [] };
}

function service(name: string, at: Position, node: PMap, lookup: Lookup): ComposeService {
  const image = node.get('image');
  return {
    name,
    at,
    node,
    image: image?.kind === 'scalar' ? image : undefined,
    ports: ports(node.get('ports')),
    volumes: volumes(node.get('volumes')),
    environment: environment(name, node.get('environment'), lookup),
    flags: commandFlags(name, node, image?.kind === 'scalar' ? (image.value ?? image.raw) : undefined),
    get: (k) => node.get(k),
    keyAt: (k) => node.keyAt(k),
  };
}

/** Words of `entrypoint:` then `command:` (the order Docker runs them in), a string split as a shell would. */
export function commandTokens(node: PMap): ArgToken[] {
  const out: ArgToken[] = [];
  for (const k of ['entrypoint', 'command']) {
    const n = node.get(k);
    if (n?.kind === 'scalar' && n.yamlType !== 'null') out.push(...splitCommand(n.value ?? n.raw, (o) => n.locate(o)));
    else if (n?.kind === 'seq') for (const i of n.items) if (i.kind === 'scalar') out.push({ text: i.value ?? i.raw, at: i.at });
  }
  return out;
}

function commandFlags(serviceName: string, node: PMap, image: string | undefined): Setting[] {
  // Traefik's flags are its static configuration (`--api.insecure=true`), read by the Traefik rules.
  if (image !== undefined && /(?:^|\/)traefik(?:$|[:@])/.test(image)) return [];
  return flagSettings(commandTokens(node), serviceName);
}

function environment(serviceName: string, node: PNode | undefined, lookup: Lookup): Setting[] {
  const out: Setting[] = [];
  if (!node) return out;
  if (node.kind === 'map') {
    for (const e of node.entries) {
      if (e.value.kind !== 'scalar') continue;
      const v = e.value;
      const bare = v.yamlType === 'null';
      out.push({
        key: e.key,
        name: upperSnake(e.key),
        path: upperSnake(e.key),
        raw: bare ? undefined : v.raw,
        value: bare ? undefined : v.value,
        interpolated: v.interpolated,
        origin: v.origin,
        defaults: v.defaults,
        at: e.keyAt,
        valueAt: v.valueAt,
        service: serviceName,
      });
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      if (item.kind !== 'scalar') continue;
      const eq = item.raw.indexOf('=');
      const key = (eq < 0 ? item.raw : item.raw.slice(0, eq)).trim();
      if (!key) continue;
      if (eq < 0) {
        out.push({ key, name: upperSnake(key), path: upperSnake(key), raw: undefined, value: undefined, interpolated: false, origin: { kind: 'unset', name: key }, defaults: [], at: item.at, valueAt: item.at, service: serviceName });
        continue;
      }
      const rawValue = item.raw.slice(eq + 1);
      const base = eq + 1;
      const r = interpolate(rawValue, (n) => lookup(n)?.value);
      let valueAt: Location = item.locate(base);
      if (r.origin.kind === 'default') valueAt = item.locate(base + r.origin.offset);
      else if (r.origin.kind === 'var') valueAt = lookup(r.origin.name)?.at ?? valueAt;
      out.push({
        key,
        name: upperSnake(key),
        path: upperSnake(key),
        raw: rawValue,
        value: r.value,
        interpolated: r.interpolated,
        origin: r.origin,
        defaults: r.defaults.map((d) => ({ name: d.name, text: d.text, at: item.locate(base + d.offset) })),
        at: item.at,
        valueAt,
        service: serviceName,
      });
    }
  }
  return out;
}

function expandPorts(spec: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return [];
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  const out: number[] = [];
  for (let p = a; p <= b && out.length < 1024; p++) out.push(p);
  return out;
}

/** Short syntax `[HOST_IP:][HOST_PORT:]CONTAINER[/PROTO]` (IPv6 in brackets) or the long mapping form. */
export function parsePortShort(text: string): Omit<PortSpec, 'at' | 'raw'> {
  let s = text.trim();
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(s);
  if (v6) {
    hostIp = v6[1];
    s = v6[2] as string;
  }
  const parts = s.split(':');
  let hostPort: string | undefined;
  let container: string;
  if (parts.length >= 3 && hostIp === undefined) {
    container = parts.pop() as string;
    hostPort = parts.pop();
    hostIp = parts.join(':');
  } else if (parts.length === 2) {
    hostPort = parts[0];
    container = parts[1] as string;
  } else {
    container = parts[parts.length - 1] as string;
    if (parts.length > 1) hostPort = parts[parts.length - 2];
  }
  if (hostIp === '') hostIp = undefined;
  if (hostPort === '') hostPort = undefined;
  const containerPorts = expandPorts(container);
  return { hostIp, hostPort, containerPort: containerPorts[0], containerPorts, protocol };
}

function ports(node: PNode | undefined): PortSpec[] {
  if (node?.kind !== 'seq') return [];
  const out: PortSpec[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar') {
      const text = item.value ?? item.raw;
      out.push({ raw: item.raw, at: item.at, ...parsePortShort(text) });
    } else if (item.kind === 'map') {
      const target = str(item.get('target')) ?? '';
      const published = str(item.get('published'));
      const hostIp = str(item.get('host_ip')) || undefined;
      const containerPorts = expandPorts(target);
      out.push({ raw: `${hostIp ? `${hostIp}:` : ''}${published ?? ''}:${target}`, at: item.at, hostIp, hostPort: published || undefined, containerPort: containerPorts[0], containerPorts, protocol: str(item.get('protocol')) ?? 'tcp' });
    }
  }
  return out;
}

function isBindSource(s: string): boolean {
  return /^(?:[./~]|\$|[A-Za-z]:[\\/])/.test(s);
}

function volumes(node: PNode | undefined): VolumeSpec[] {
  if (node?.kind !== 'seq') return [];
  const out: VolumeSpec[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar') {
      const raw = item.raw;
      // Split on ':' but not inside ${...} or after a Windows drive letter.
      const parts = splitVolume(raw);
      const resolvedParts = splitVolume(item.value ?? raw);
      if (parts.length === 1) {
        out.push({ raw, type: 'volume', sourceRaw: undefined, source: undefined, target: resolvedParts[0] ?? raw, readOnly: false, propagation: undefined, at: item.at });
        continue;
      }
      const sourceRaw = parts[0] as string;
      const source = item.value === undefined ? undefined : resolvedParts[0];
      const mode = (parts[2] ?? '').split(',');
      out.push({
        raw,
        type: isBindSource(sourceRaw) || (source !== undefined && isBindSource(source)) ? 'bind' : 'volume',
        sourceRaw,
        source,
        target: (item.value === undefined ? parts[1] : resolvedParts[1]) ?? '',
        readOnly: mode.includes('ro'),
        propagation: mode.find((m) => /^r?(?:shared|slave|private)$/.test(m)),
        at: item.at,
      });
    } else if (item.kind === 'map') {
      const type = (str(item.get('type')) ?? 'volume') as VolumeSpec['type'];
      const src = item.get('source');
      const bind = item.get('bind');
      out.push({
        raw: `${str(src) ?? ''}:${str(item.get('target')) ?? ''}`,
        type,
        sourceRaw: src?.kind === 'scalar' ? src.raw : undefined,
        source: str(src),
        target: str(item.get('target')) ?? '',
        readOnly: ['true', 'yes', '1'].includes((str(item.get('read_only')) ?? '').toLowerCase()),
        propagation: bind?.kind === 'map' ? str(bind.get('propagation')) : undefined,
        at: item.at,
      });
    }
  }
  return out;
}

function splitVolume(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '$' && s[i + 1] === '{') depth++;
    if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0 && !(cur.length === 1 && /[A-Za-z]/.test(cur) && /[\\/]/.test(s[i + 1] ?? ''))) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

export type { PScalar };
