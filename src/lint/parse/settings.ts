import { parse as parseToml, TomlError } from 'smol-toml';
import type { Position } from '../position.js';
import { upperSnake, type Setting } from '../setting.js';
import { parseYaml, type PNode } from './yaml.js';

export interface ParsedSettings {
  readonly settings: Setting[];
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
}

/**
 * Last segments that say nothing alone (`enabled`, `level`, `origins`, `secret`): the knob is named with its parents,
 * so `server.auth.enabled`, `[rate_limit] enabled` and `cors.allow_origins` read as AUTH_ENABLED,
 * RATE_LIMIT_ENABLED and CORS_ALLOW_ORIGINS, the names the flat spellings use.
 */
const GENERIC = new Set([
  'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'ON', 'ACTIVE', 'REQUIRED', 'LEVEL', 'MODE', 'ORIGINS', 'ORIGIN', 'ALLOWED_ORIGINS', 'ALLOW_ORIGINS',
  'ALLOW', 'SECURE', 'HTTPONLY', 'HTTP_ONLY', 'SAMESITE', 'SAME_SITE', 'MIN_VERSION', 'MAX_VERSION', 'VERSION', 'PROTOCOLS', 'EXPIRES_IN', 'EXPIRY',
  'EXPIRATION', 'TTL', 'LIFETIME', 'TIMEOUT', 'TIMEOUT_HOURS', 'MAX_AGE', 'MIN_LENGTH', 'LENGTH', 'MAX_SIZE', 'SIZE', 'MAX', 'LIMIT', 'MAX_CONNECTIONS',
  'MAX_ATTEMPTS', 'ATTEMPTS', 'PER_MINUTE', 'REQUESTS_PER_MINUTE', 'MAX_REQUESTS', 'HOST', 'BIND', 'ADDRESS', 'LISTEN', 'PORT',
  'KEY', 'SECRET', 'TOKEN', 'PASSWORD', 'ALGORITHM', 'HASH', 'HASHING', 'CREDENTIALS', 'ALLOW_CREDENTIALS', 'URL', 'BASE_URL', 'ENDPOINT', 'FILE',
  'PATH', 'HEADERS', 'LOG', 'LOGGING', 'DEBUG', 'VERIFY', 'SSL', 'TLS', 'INSECURE', 'MASTER_KEY', 'API_KEY', 'SIGNING_KEY', 'USER', 'USERNAME',
]);

/** The knob a nested key sets: the last segment, with as many parents as it takes to be more than a generic word. */
function knobName(segments: readonly string[]): string {
  const parts = segments.filter((s) => !/^\d+$/.test(s)).map(upperSnake).filter((s) => s !== '');
  let i = parts.length - 1;
  let name = parts[i] ?? '';
  while (i > 0 && GENERIC.has(name)) name = `${parts[--i]}_${name}`;
  return name;
}

function leaf(segments: readonly string[], value: string | undefined, at: Position, valueAt: Position): Setting {
  const key = segments.join('.');
  return {
    key,
    name: knobName(segments) || upperSnake(key),
    path: segments.map(upperSnake).join('_'),
    raw: value,
    value,
    interpolated: false,
    origin: { kind: 'literal' },
    defaults: [],
    at,
    valueAt,
  };
}

function flatten(node: PNode, segments: string[], keyAt: Position, out: Setting[]): void {
  if (node.kind === 'map') {
    for (const e of node.entries) flatten(e.value, [...segments, e.key], e.keyAt, out);
    return;
  }
  if (node.kind === 'seq') {
    const scalars = node.items.filter((i) => i.kind === 'scalar');
    if (scalars.length === node.items.length) {
      out.push(leaf(segments, scalars.map((s) => (s.kind === 'scalar' ? s.raw : '')).join(','), keyAt, node.at));
      return;
    }
    node.items.forEach((item, i) => flatten(item, [...segments, String(i)], item.at, out));
    return;
  }
  if (segments.length > 0) out.push(leaf(segments, node.yamlType === 'null' ? undefined : node.raw, keyAt, node.at));
}

/** A JSON or YAML settings file, flattened to dotted keys with positions. */
export function parseYamlSettings(text: string): ParsedSettings {
  const y = parseYaml(text);
  if (y.errors.length > 0) return { settings: [], errors: y.errors };
  const out: Setting[] = [];
  if (y.root) flatten(y.root, [], { line: 1, column: 1 }, out);
  return { settings: out, errors: [] };
}

/**
 * A TOML settings file: smol-toml decides validity and values; a line scan finds where each key is written
 * (smol-toml keeps no positions).
 */
export function parseTomlSettings(text: string): ParsedSettings {
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) return { settings: [], errors: [{ message: err.message.split('\n')[0] ?? 'invalid TOML', at: { line: err.line, column: err.column } }] };
    return { settings: [], errors: [{ message: 'invalid TOML', at: { line: 1, column: 1 } }] };
  }
  const positions = tomlKeyPositions(text);
  const out: Setting[] = [];
  const walk = (v: unknown, segs: string[]): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !isTomlDate(v)) {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) walk(child, [...segs, k]);
      return;
    }
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object' && !isTomlDate(x))) {
      v.forEach((x, i) => walk(x, [...segs, String(i)]));
      return;
    }
    const p = positions.get(segs.join('.')) ?? positions.get(segs.filter((s) => !/^\d+$/.test(s)).join('.'));
    const at = p?.key ?? { line: 1, column: 1 };
    const text = Array.isArray(v) ? v.map(String).join(',') : String(v);
    out.push(leaf(segs, text, at, p?.value ?? at));
  };
  walk(data, []);
  return { settings: out, errors: [] };
}

function isTomlDate(v: unknown): boolean {
  return v instanceof Date || (v !== null && typeof v === 'object' && 'toISOString' in (v as object));
}

function tomlKeyPositions(text: string): Map<string, { key: Position; value: Position }> {
  const out = new Map<string, { key: Position; value: Position }>();
  let table: string[] = [];
  const lines = text.split(/\r?\n/);
  const keyPart = (s: string): string[] => s.split('.').map((p) => p.trim().replace(/^["']|["']$/g, ''));
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(t);
    if (header) {
      table = keyPart(header[1] as string);
      return;
    }
    const kv = /^(\s*)((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=\s*/.exec(line);
    if (!kv) return;
    const path = [...table, ...keyPart(kv[2] as string)].join('.');
    if (!out.has(path)) out.set(path, { key: { line: i + 1, column: (kv[1] as string).length + 1 }, value: { line: i + 1, column: kv[0].length + 1 } });
  });
  return out;
}
