import type { ComposeService, PortSpec, VolumeSpec } from './parse/compose.js';
import type { PMap, PNode, PScalar, PSeq } from './parse/yaml.js';
import type { Location, Position } from './position.js';
import type { Setting } from './setting.js';

/**
 * Compose files merged as `docker compose -f base -f overlay` merges them (and as a plain `docker compose up` merges
 * a `compose.override.yaml` into its base): mappings merged key by key, lists that Compose appends appended (ports,
 * capabilities, security options …), `environment` by variable, `volumes` by target, anything else replaced by the
 * overlay. Pure: positions keep the file they are written in, so a finding lands in the file that says it.
 */

/** Keys whose lists Compose appends when merging rather than replaces. */
const APPENDED = new Set(['ports', 'expose', 'cap_add', 'cap_drop', 'security_opt', 'devices', 'dns', 'dns_search', 'tmpfs', 'env_file', 'labels', 'extra_hosts', 'external_links', 'configs', 'secrets', 'networks', 'volumes', 'volumes_from', 'links', 'depends_on', 'profiles', 'sysctls', 'ulimits', 'group_add']);

function tag<T extends Position>(p: T, file: string): T {
  return (p as Location).file !== undefined ? p : ({ ...p, file } as T);
}

function retagScalar(n: PScalar, file: string): PScalar {
  return { ...n, at: tag(n.at, file), valueAt: tag(n.valueAt, file), defaults: n.defaults.map((d) => ({ ...d, at: tag(d.at, file) })), locate: (o) => tag(n.locate(o), file) };
}

function mapOf(entries: ReadonlyArray<{ key: string; keyAt: Position; value: PNode }>, at: Position): PMap {
  const index = new Map(entries.map((e, i) => [e.key, i]));
  return {
    kind: 'map',
    entries,
    at,
    get: (k) => {
      const i = index.get(k);
      return i === undefined ? undefined : entries[i]?.value;
    },
    keyAt: (k) => {
      const i = index.get(k);
      return i === undefined ? undefined : entries[i]?.keyAt;
    },
  };
}

/** A copy of a node whose every position says which file it is written in. */
export function retagNode(n: PNode, file: string): PNode {
  if (n.kind === 'scalar') return retagScalar(n, file);
  if (n.kind === 'seq') return { kind: 'seq', items: n.items.map((i) => retagNode(i, file)), at: tag(n.at, file) } satisfies PSeq;
  return mapOf(
    n.entries.map((e) => ({ key: e.key, keyAt: tag(e.keyAt, file), value: retagNode(e.value, file) })),
    tag(n.at, file),
  );
}

function retagSetting(s: Setting, file: string): Setting {
  return { ...s, at: tag(s.at, file), valueAt: tag(s.valueAt, file), defaults: s.defaults.map((d) => ({ ...d, at: tag(d.at, file) })) };
}

/** A service as it is written in another file of the merge: every position carries that file. */
export function retagService(svc: ComposeService, file: string): ComposeService {
  const node = retagNode(svc.node, file) as PMap;
  return {
    name: svc.name,
    at: tag(svc.at, file),
    node,
    image: svc.image ? retagScalar(svc.image, file) : undefined,
    ports: svc.ports.map((p): PortSpec => ({ ...p, at: tag(p.at, file) })),
    volumes: svc.volumes.map((v): VolumeSpec => ({ ...v, at: tag(v.at, file) })),
    environment: svc.environment.map((s) => retagSetting(s, file)),
    flags: svc.flags.map((s) => retagSetting(s, file)),
    get: (k) => node.get(k),
    keyAt: (k) => node.keyAt(k),
  };
}

function mergeValue(key: string, base: PNode, over: PNode): PNode {
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over);
  if (base.kind === 'seq' && over.kind === 'seq' && APPENDED.has(key)) return { kind: 'seq', items: [...base.items, ...over.items], at: base.at };
  return over;
}

/** Two mappings merged as Compose merges them: the overlay's keys win, mappings under both merge recursively. */
export function mergeMaps(base: PMap, over: PMap): PMap {
  const entries: Array<{ key: string; keyAt: Position; value: PNode }> = [];
  for (const e of base.entries) {
    const o = over.get(e.key);
    entries.push(o === undefined ? e : { key: e.key, keyAt: over.keyAt(e.key) ?? e.keyAt, value: mergeValue(e.key, e.value, o) });
  }
  for (const e of over.entries) if (base.get(e.key) === undefined) entries.push(e);
  return mapOf(entries, base.at);
}

/** A service of the base with the overlay's definition of it merged in. */
export function mergeService(base: ComposeService, over: ComposeService): ComposeService {
  const node = mergeMaps(base.node, over.node);
  const commandOverridden = over.get('command') !== undefined || over.get('entrypoint') !== undefined;
  return {
    name: base.name,
    at: base.at,
    node,
    image: over.image ?? base.image,
    ports: [...base.ports, ...over.ports.filter((p) => !base.ports.some((q) => q.raw === p.raw))],
    volumes: [...base.volumes.filter((v) => !over.volumes.some((w) => w.target === v.target)), ...over.volumes],
    environment: [...base.environment.filter((e) => !over.environment.some((x) => x.key === e.key)), ...over.environment],
    flags: commandOverridden ? over.flags : base.flags,
    get: (k) => node.get(k),
    keyAt: (k) => node.keyAt(k),
  };
}

/** The services of `base` with `over` merged in, in the base's order, then the overlay's new services. */
export function mergeServices(base: readonly ComposeService[], over: readonly ComposeService[]): ComposeService[] {
  const byName = new Map(over.map((s) => [s.name, s]));
  const merged = base.map((b) => {
    const o = byName.get(b.name);
    return o ? mergeService(b, o) : b;
  });
  return [...merged, ...over.filter((o) => !base.some((b) => b.name === o.name))];
}
