import type { Position } from '../position.js';
import { upperSnake, type Setting } from '../setting.js';
import { flagSettings, type ArgToken } from './argv.js';
import { parseYamlAll, str, type PMap, type PNode, type PScalar } from './yaml.js';

export interface K8sContainer {
  readonly name: string;
  readonly at: Position;
  readonly node: PMap;
  readonly init: boolean;
  readonly image: PScalar | undefined;
  readonly env: readonly Setting[];
  /** The long flags of `command:` and `args:` as settings (`--no-auth`, `--log-level debug`). */
  readonly flags: readonly Setting[];
}

/** One object of a manifest: a workload (with its pod spec), a ConfigMap, a Secret, a Service … */
export interface K8sObject {
  readonly kind: string;
  readonly name: string;
  /** Where `kind:` is written. */
  readonly at: Position;
  readonly node: PMap;
  /** The pod spec of a Pod or of a workload's template (CronJob: jobTemplate.spec.template.spec). */
  readonly podSpec: PMap | undefined;
  readonly containers: readonly K8sContainer[];
  /**
   * Entries of a ConfigMap's `data` or a Secret's `stringData`/`data` (base64 decoded when it is text), as settings
   * owned by `ConfigMap/name` or `Secret/name`: what `envFrom` turns into the container's environment.
   */
  readonly data: readonly Setting[];
}

export interface ParsedK8s {
  readonly objects: K8sObject[];
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

export function mapAt(node: PNode | undefined, ...path: string[]): PNode | undefined {
  let n = node;
  for (const k of path) {
    if (n?.kind !== 'map') return undefined;
    n = n.get(k);
  }
  return n;
}

function asMap(n: PNode | undefined): PMap | undefined {
  return n?.kind === 'map' ? n : undefined;
}

/** Parses a (multi-document) Kubernetes manifest; `kind: List` items are objects too. */
export function parseK8s(text: string): ParsedK8s {
  const docs = parseYamlAll(text);
  const objects: K8sObject[] = [];
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) return { objects, errors };
  const add = (node: PNode | undefined): void => {
    const m = asMap(node);
    if (!m) return;
    const kind = str(m.get('kind'));
    if (!kind) return;
    if (kind === 'List') {
      const items = m.get('items');
      if (items?.kind === 'seq') for (const it of items.items) add(it);
      return;
    }
    objects.push(object(kind, m));
  };
  for (const d of docs) add(d.root);
  return { objects, errors };
}

function object(kind: string, node: PMap): K8sObject {
  const name = str(mapAt(node, 'metadata', 'name')) ?? kind.toLowerCase();
  let podSpec: PMap | undefined;
  if (kind === 'Pod') podSpec = asMap(node.get('spec'));
  else if (WORKLOADS.has(kind)) podSpec = asMap(mapAt(node, 'spec', 'template', 'spec'));
  else if (kind === 'CronJob') podSpec = asMap(mapAt(node, 'spec', 'jobTemplate', 'spec', 'template', 'spec'));
  const containers: K8sContainer[] = [];
  if (podSpec) {
    for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
      const list = podSpec.get(key);
      if (list?.kind !== 'seq') continue;
      for (const c of list.items) {
        if (c.kind !== 'map') continue;
        const cname = str(c.get('name')) ?? '?';
        const image = c.get('image');
        const owner = `${kind}/${name}/${cname}`;
        containers.push({ name: cname, at: c.keyAt('name') ?? c.at, node: c, init, image: image?.kind === 'scalar' ? image : undefined, env: env(c, owner), flags: flagSettings(argv(c), owner) });
      }
    }
  }
  return { kind, name, at: node.keyAt('kind') ?? node.at, node, podSpec, containers, data: data(kind, name, node) };
}

/** `command:` then `args:`, each item one word as the kubelet passes it. */
function argv(c: PMap): ArgToken[] {
  const out: ArgToken[] = [];
  for (const k of ['command', 'args']) {
    const list = c.get(k);
    if (list?.kind === 'seq') for (const i of list.items) if (i.kind === 'scalar') out.push({ text: i.raw, at: i.at });
  }
  return out;
}

/** Strict base64 of UTF-8 text without control characters; undefined for binary data or malformed base64. */
function decodeBase64Text(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('\uFFFD') || /[\x00-\x08\x0E-\x1F]/.test(text) ? undefined : text;
}

function data(kind: string, name: string, node: PMap): Setting[] {
  if (kind !== 'ConfigMap' && kind !== 'Secret') return [];
  const out: Setting[] = [];
  const sections: Array<[string, boolean]> = kind === 'ConfigMap' ? [['data', false]] : [['stringData', false], ['data', true]];
  for (const [section, base64] of sections) {
    const m = node.get(section);
    if (m?.kind !== 'map') continue;
    for (const e of m.entries) {
      if (e.value.kind !== 'scalar' || e.value.yamlType === 'null') continue;
      const raw = base64 ? decodeBase64Text(e.value.raw) : e.value.raw;
      if (raw === undefined) continue;
      out.push({ key: e.key, name: upperSnake(e.key), path: upperSnake(e.key), raw, value: raw, interpolated: false, origin: { kind: 'literal' }, defaults: [], at: e.keyAt, valueAt: e.value.at, service: `${kind}/${name}` });
    }
  }
  return out;
}

/** `env: [{name, value}]` entries with a literal value; `valueFrom` references carry no value to check. */
function env(c: PMap, owner: string): Setting[] {
  const list = c.get('env');
  const out: Setting[] = [];
  if (list?.kind !== 'seq') return out;
  for (const e of list.items) {
    if (e.kind !== 'map') continue;
    const key = str(e.get('name'));
    const v = e.get('value');
    if (!key || v?.kind !== 'scalar' || e.get('valueFrom')) continue;
    // `$(OTHER)` is Kubernetes' own dependent-variable syntax, `{{ x }}` a template's: the value is not written here.
    const ref = /\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{/.test(v.raw);
    out.push({
      key,
      name: upperSnake(key),
      path: upperSnake(key),
      raw: v.raw,
      value: ref ? undefined : v.raw,
      interpolated: ref,
      origin: ref ? { kind: 'mixed' } : { kind: 'literal' },
      defaults: [],
      at: e.keyAt('name') ?? e.at,
      valueAt: v.at,
      service: owner,
    });
  }
  return out;
}
