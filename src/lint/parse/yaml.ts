import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import type { Location, Position } from '../position.js';
import { interpolate, type Origin } from './interpolate.js';

/** A variable's value and where it is written (the sibling .env), for interpolation. */
export interface VarSource {
  readonly value: string;
  readonly at: Location;
}

export type Lookup = (name: string) => VarSource | undefined;

export interface PScalar {
  readonly kind: 'scalar';
  /** The text as YAML reads it (before interpolation); numbers and booleans as written. */
  readonly raw: string;
  /** After interpolation; undefined when it depends on an unknown variable. */
  readonly value: string | undefined;
  readonly interpolated: boolean;
  readonly origin: Origin;
  /** Inline `${NAME:-text}` defaults, with where their text is written. */
  readonly defaults: ReadonlyArray<{ readonly name: string; readonly text: string; readonly at: Position }>;
  /** Where the scalar starts. */
  readonly at: Position;
  /** Where the value Compose would use is written: the scalar, the inline default, or the sibling .env line. */
  readonly valueAt: Location;
  /** Where `offset` (into raw) is written. */
  locate(offset: number): Position;
  /** Whether YAML typed it as a string, a number, a boolean or null. */
  readonly yamlType: 'string' | 'number' | 'boolean' | 'null';
}
export interface PMap {
  readonly kind: 'map';
  readonly entries: ReadonlyArray<{ readonly key: string; readonly keyAt: Position; readonly value: PNode }>;
  readonly at: Position;
  get(key: string): PNode | undefined;
  keyAt(key: string): Position | undefined;
}
export interface PSeq {
  readonly kind: 'seq';
  readonly items: readonly PNode[];
  readonly at: Position;
}
export type PNode = PScalar | PMap | PSeq;

export interface ParsedYaml {
  readonly root: PNode | undefined;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
  readonly doc: Document;
}

/**
 * Parses YAML once with positions and turns it into a small positioned tree, merge keys (`<<: *anchor`) applied
 * and — when `lookup` is given — every string interpolated as Compose does.
 */
export function parseYaml(text: string, lookup?: Lookup): ParsedYaml {
  const lc = new LineCounter();
  // uniqueKeys is checked below while converting: the library's own check is quadratic in the size of a mapping.
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false, strict: false, uniqueKeys: false });
  return convertDocument(doc, text, lc, lookup);
}

/** Every document of a multi-document stream (`---` separated), each converted as parseYaml does. */
export function parseYamlAll(text: string, lookup?: Lookup): ParsedYaml[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, merge: true, prettyErrors: false, strict: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs as unknown as Document];
  return list.map((d) => convertDocument(d as Document, text, lc, lookup));
}

/**
 * Aliases are expanded while converting; a "billion laughs" document (anchors of anchors) would expand to
 * millions of nodes, so expansion stops with an error past this many.
 */
export const MAX_YAML_NODES = 200_000;

function convertDocument(doc: Document, text: string, lc: LineCounter, lookup: Lookup | undefined): ParsedYaml {
  let budget = MAX_YAML_NODES;
  let exhausted = false;
  const pos = (offset: number): Position => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const errors: Array<{ message: string; at: Position }> = doc.errors.map((e) => ({ message: e.message.split('\n')[0] ?? e.code, at: pos(e.pos[0]) }));
  if (errors.length > 0) return { root: undefined, errors, doc };
  const seen = new Set<Node>();
  // One pass collects the anchors: Alias.resolve() would walk the whole document once per alias.
  let anchors: Map<string, Node> | undefined;
  const anchorOf = (name: string): Node | undefined => {
    if (!anchors) {
      const found = new Map<string, Node>();
      visit(doc, {
        Node(_key, n) {
          if (n.anchor && !found.has(n.anchor)) found.set(n.anchor, n);
        },
      });
      anchors = found;
    }
    return anchors.get(name);
  };
  const convert = (node: unknown): PNode | undefined => {
    if (--budget < 0) {
      if (!exhausted) errors.push({ message: `more than ${MAX_YAML_NODES} nodes after alias expansion (a YAML bomb?): not checked`, at: pos(0) });
      exhausted = true;
      return undefined;
    }
    if (isAlias(node)) {
      const target = anchorOf(node.source);
      if (!target || seen.has(target as Node)) return undefined;
      seen.add(target as Node);
      try {
        return convert(target);
      } finally {
        seen.delete(target as Node);
      }
    }
    if (isMap(node)) {
      const entries: Array<{ key: string; keyAt: Position; value: PNode }> = [];
      const index = new Map<string, number>();
      const explicit = new Set<string>();
      const put = (key: string, keyAt: Position, value: PNode): void => {
        const at = index.get(key);
        if (at !== undefined) entries[at] = { key, keyAt, value };
        else {
          index.set(key, entries.length);
          entries.push({ key, keyAt, value });
        }
      };
      for (const pair of node.items) {
        const k = pair.key;
        const keyText = isScalar(k) ? (typeof k.value === 'symbol' ? '<<' : String(k.value)) : String(k);
        const keyAt = pos((k as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0);
        if (keyText === '<<') {
          // Merge keys: the merged entries first, explicit keys of this map win.
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const s of sources) {
            const merged = convert(s);
            if (merged?.kind === 'map') for (const e of merged.entries) if (!index.has(e.key)) put(e.key, e.keyAt, e.value);
          }
          continue;
        }
        const value = convert(pair.value) ?? nullScalar(keyAt);
        if (explicit.has(keyText)) errors.push({ message: `duplicate key '${keyText.slice(0, 60)}' (map keys must be unique)`, at: keyAt });
        explicit.add(keyText);
        put(keyText, keyAt, value);
      }
      const at = pos(node.range?.[0] ?? 0);
      return {
        kind: 'map',
        entries,
        at,
        get: (key) => {
          const i = index.get(key);
          return i === undefined ? undefined : entries[i]?.value;
        },
        keyAt: (key) => {
          const i = index.get(key);
          return i === undefined ? undefined : entries[i]?.keyAt;
        },
      };
    }
    if (isSeq(node)) {
      const items: PNode[] = [];
      for (const it of node.items) {
        const c = convert(it);
        if (c) items.push(c);
      }
      return { kind: 'seq', items, at: pos(node.range?.[0] ?? 0) };
    }
    if (isScalar(node)) return scalar(node, text, pos, lookup);
    return undefined;
  };
  const root = doc.contents ? convert(doc.contents) : undefined;
  if (errors.length > 0) return { root: undefined, errors, doc };
  return { root, errors, doc };
}

function nullScalar(at: Position): PScalar {
  return { kind: 'scalar', raw: '', value: '', interpolated: false, origin: { kind: 'literal' }, defaults: [], at, valueAt: at, locate: () => at, yamlType: 'null' };
}

function scalar(node: Scalar, text: string, pos: (o: number) => Position, lookup: Lookup | undefined): PScalar {
  const start = node.range?.[0] ?? 0;
  const end = node.range?.[1] ?? start;
  const v = node.value;
  const yamlType = v === null ? 'null' : typeof v === 'number' || typeof v === 'bigint' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
  // Numbers and booleans keep their source spelling (`False`, `0755`), which is what Compose passes on.
  const raw = yamlType === 'string' ? String(v) : v === null ? '' : (node.source ?? text.slice(start, end).trim() ?? String(v));
  const at = pos(start);
  const simple = node.type === Scalar.PLAIN || node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE;
  const shift = node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE ? 1 : 0;
  const locate = (offset: number): Position => {
    if (simple && !raw.slice(0, offset).includes('\n')) return pos(start + shift + offset);
    const needle = raw.slice(offset, offset + 12);
    const found = needle ? text.indexOf(needle, start) : -1;
    return found >= 0 && found <= end ? pos(found) : at;
  };
  if (yamlType !== 'string' || !lookup) {
    return { kind: 'scalar', raw, value: raw, interpolated: false, origin: { kind: 'literal' }, defaults: [], at, valueAt: at, locate, yamlType };
  }
  const r = interpolate(raw, (n) => lookup(n)?.value);
  let valueAt: Location = at;
  if (r.origin.kind === 'default') valueAt = locate(r.origin.offset);
  else if (r.origin.kind === 'var') valueAt = lookup(r.origin.name)?.at ?? at;
  return {
    kind: 'scalar',
    raw,
    value: r.value,
    interpolated: r.interpolated,
    origin: r.origin,
    defaults: r.defaults.map((d) => ({ name: d.name, text: d.text, at: locate(d.offset) })),
    at,
    valueAt,
    locate,
    yamlType,
  };
}

/** The scalar's string value (interpolated), or undefined for maps, sequences and unknowns. */
export function str(node: PNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

/** A YAML truthy value as Compose reads it: true/yes/on/1, case-insensitive. */
export function truthy(node: PNode | undefined): boolean {
  const v = str(node)?.trim().toLowerCase();
  return v === 'true' || v === 'yes' || v === 'on' || v === '1';
}
