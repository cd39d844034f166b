import type { Location, Position } from '../position.js';

/** One token of a Caddyfile line, quotes removed, with where it is written. */
export interface CaddyToken {
  readonly value: string;
  readonly quoted: boolean;
  readonly at: Location;
}

/** A directive (its line's tokens) with the block it opens, if any; `import`s of snippets and files are inlined. */
export interface CaddyDirective {
  readonly name: string;
  readonly args: readonly CaddyToken[];
  readonly at: Location;
  readonly block?: CaddyDirective[];
  parent?: CaddyDirective | undefined;
}

/** A site block: its addresses and directives. */
export interface CaddySite {
  readonly addresses: readonly CaddyToken[];
  readonly at: Location;
  readonly directives: readonly CaddyDirective[];
  /** The block directive standing for the site, parent of its top-level directives. */
  readonly node: CaddyDirective;
}

export interface ParsedCaddy {
  /** The global options block (`{ admin … }`), if any. */
  readonly global: readonly CaddyDirective[];
  readonly sites: readonly CaddySite[];
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
}

/** Reads an imported file (relative to the importing one): its display path and text, or null. */
export type CaddyImportReader = (path: string, fromFile: string | undefined) => ReadonlyArray<{ readonly file: string; readonly text: string }> | null;

interface Line {
  readonly tokens: CaddyToken[];
  readonly line: number;
}

const MAX_IMPORT_DEPTH = 8;
const MAX_DEPTH = 128;

/** Splits a Caddyfile into lines of tokens: `#` comments, "quoted" and `backtick` tokens, `\` continuations, heredocs. */
function tokenize(text: string, file: string | undefined, errors: Array<{ message: string; at: Position }>): Line[] {
  const out: Line[] = [];
  const physical = text.split(/\r?\n/);
  let current: Line | undefined;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i] as string;
    let j = 0;
    if (!current) current = { tokens: [], line: i + 1 };
    let continued = false;
    while (j < raw.length) {
      const c = raw[j] as string;
      if (c === ' ' || c === '\t') {
        j++;
        continue;
      }
      if (c === '#') break;
      const at: Location = file === undefined ? { line: i + 1, column: j + 1 } : { file, line: i + 1, column: j + 1 };
      if (c === '\\' && j === raw.length - 1) {
        continued = true;
        break;
      }
      if (c === '"' || c === '`') {
        let v = '';
        let k = j + 1;
        let closed = false;
        // A quoted token may span lines.
        let row = i;
        let s = raw;
        for (;;) {
          while (k < s.length) {
            const d = s[k] as string;
            if (c === '"' && d === '\\' && k + 1 < s.length) {
              v += s[k + 1];
              k += 2;
              continue;
            }
            if (d === c) {
              closed = true;
              break;
            }
            v += d;
            k++;
          }
          if (closed || row + 1 >= physical.length) break;
          row++;
          s = physical[row] as string;
          v += '\n';
          k = 0;
        }
        if (!closed) {
          errors.push({ message: `unterminated ${c === '"' ? 'quoted' : 'backtick'} token`, at: { line: i + 1, column: j + 1 } });
          return out;
        }
        current.tokens.push({ value: v, quoted: true, at });
        if (row !== i) {
          i = row;
          j = k + 1;
          continue;
        }
        j = k + 1;
        continue;
      }
      let k = j;
      while (k < raw.length && raw[k] !== ' ' && raw[k] !== '\t') k++;
      let value = raw.slice(j, k);
      // A heredoc (`respond <<HTML … HTML`): its lines are one token.
      const here = /^<<([A-Za-z0-9_]+)$/.exec(value);
      if (here) {
        const marker = here[1] as string;
        const body: string[] = [];
        let row = i + 1;
        while (row < physical.length && (physical[row] as string).trim() !== marker) body.push(physical[row++] as string);
        if (row >= physical.length) {
          errors.push({ message: `unterminated heredoc <<${marker}`, at: { line: i + 1, column: j + 1 } });
          return out;
        }
        value = body.join('\n');
        current.tokens.push({ value, quoted: true, at });
        i = row;
        j = raw.length;
        break;
      }
      current.tokens.push({ value, quoted: false, at });
      j = k;
    }
    if (!continued) {
      if (current.tokens.length > 0) out.push(current);
      current = undefined;
    }
  }
  if (current && current.tokens.length > 0) out.push(current);
  return out;
}

interface Ctx {
  readonly read: CaddyImportReader;
  readonly snippets: Map<string, Line[]>;
  readonly errors: Array<{ message: string; at: Position }>;
  depth: number;
}

/** Lines grouped into directives and blocks (`{` closing a line opens one, a `}` alone closes it). */
function blocks(lines: readonly Line[], start: number, parent: CaddyDirective | undefined, ctx: Ctx, level: number, file: string | undefined): { list: CaddyDirective[]; next: number; closed: boolean } {
  const list: CaddyDirective[] = [];
  let i = start;
  while (i < lines.length) {
    const l = lines[i] as Line;
    const first = l.tokens[0] as CaddyToken;
    if (l.tokens.length === 1 && first.value === '}' && !first.quoted) return { list, next: i + 1, closed: true };
    const last = l.tokens[l.tokens.length - 1] as CaddyToken;
    const opens = last.value === '{' && !last.quoted;
    const tokens = opens ? l.tokens.slice(0, -1) : l.tokens;
    if (tokens.length === 0) {
      // `{` alone: the global options block at the top, or a block with no name.
      const d: CaddyDirective = { name: '', args: [], at: last.at, block: [], parent };
      const inner = blocks(lines, i + 1, d, ctx, level + 1, file);
      (d.block as CaddyDirective[]).push(...inner.list);
      if (!inner.closed) ctx.errors.push({ message: "block is never closed: missing '}'", at: last.at });
      list.push(d);
      i = inner.next;
      continue;
    }
    const name = (tokens[0] as CaddyToken).value;
    const d: CaddyDirective = { name, args: tokens.slice(1), at: (tokens[0] as CaddyToken).at, parent, ...(opens ? { block: [] as CaddyDirective[] } : {}) };
    if (opens) {
      if (level > MAX_DEPTH) {
        ctx.errors.push({ message: `blocks nested deeper than ${MAX_DEPTH} levels`, at: d.at });
        return { list, next: lines.length, closed: false };
      }
      const inner = blocks(lines, i + 1, d, ctx, level + 1, file);
      (d.block as CaddyDirective[]).push(...inner.list);
      if (!inner.closed) {
        ctx.errors.push({ message: `block '${name}' is never closed: missing '}'`, at: d.at });
        list.push(d);
        return { list, next: inner.next, closed: false };
      }
      i = inner.next;
    } else i++;
    if (name === 'import' && !opens && d.args[0]) {
      const imported = importOf(d.args[0].value, parent, ctx, level, file);
      if (imported) {
        list.push(...imported);
        continue;
      }
    }
    list.push(d);
  }
  return { list, next: i, closed: false };
}

/** `import snippet` or `import file/glob`: the directives it stands for, parented where the import is. */
function importOf(target: string, parent: CaddyDirective | undefined, ctx: Ctx, level: number, file: string | undefined): CaddyDirective[] | null {
  if (ctx.depth >= MAX_IMPORT_DEPTH) return null;
  const snippet = ctx.snippets.get(target);
  ctx.depth++;
  try {
    if (snippet) return blocks(snippet, 0, parent, ctx, level, file).list;
    const files = ctx.read(target, file);
    if (!files || files.length === 0) return null;
    const out: CaddyDirective[] = [];
    // Errors of an imported file are that file's, linted on its own.
    for (const f of files) out.push(...blocks(tokenize(f.text, f.file, []), 0, parent, { ...ctx, errors: [] }, level, f.file).list);
    return out;
  } finally {
    ctx.depth--;
  }
}

/**
 * Parses a Caddyfile: the global options block, snippets (`(name) { … }`, inlined where imported), and site blocks
 * with their addresses; a file with one site may leave its braces out. `import` of snippets and files is
 * followed; errors (unbalanced braces, unterminated quotes) come back as data.
 */
export function parseCaddyfile(text: string, opts: { readonly read?: CaddyImportReader } = {}): ParsedCaddy {
  const errors: Array<{ message: string; at: Position }> = [];
  const lines = tokenize(text, undefined, errors);
  const ctx: Ctx = { read: opts.read ?? (() => null), snippets: new Map(), errors, depth: 0 };
  // Snippets first: a site may import one defined below it.
  const rest: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    const name = l.tokens[0]?.value ?? '';
    const last = l.tokens[l.tokens.length - 1];
    if (/^&?\(.+\)$/.test(name) && l.tokens.length === 2 && last?.value === '{') {
      const body: Line[] = [];
      let depth = 1;
      let j = i + 1;
      for (; j < lines.length; j++) {
        const b = lines[j] as Line;
        const bl = b.tokens[b.tokens.length - 1];
        if (b.tokens.length === 1 && b.tokens[0]?.value === '}') {
          if (--depth === 0) break;
        } else if (bl?.value === '{' && !bl.quoted) depth++;
        body.push(b);
      }
      if (depth > 0) errors.push({ message: `snippet ${name} is never closed: missing '}'`, at: l.tokens[0]?.at ?? { line: l.line, column: 1 } });
      ctx.snippets.set(name.replace(/^&?\(|\)$/g, ''), body);
      i = j;
      continue;
    }
    rest.push(l);
  }
  const top = blocks(rest, 0, undefined, ctx, 0, undefined);
  if (top.closed) errors.push({ message: "unexpected '}' with no open block", at: rest[top.next - 1]?.tokens[0]?.at ?? { line: 1, column: 1 } });
  const global: CaddyDirective[] = [];
  const sites: CaddySite[] = [];
  const items = top.list;
  let k = 0;
  if (items[0]?.name === '' && items[0].block) global.push(...(items[k++] as CaddyDirective).block as CaddyDirective[]);
  for (; k < items.length; k++) {
    const d = items[k] as CaddyDirective;
    if (d.block) {
      sites.push(site(d, d.block));
      continue;
    }
    // One site without braces: its address line, then every directive to the end of the file.
    const node: CaddyDirective = { name: d.name, args: d.args, at: d.at, block: items.slice(k + 1) };
    for (const c of node.block ?? []) c.parent = node;
    sites.push(site(node, node.block ?? []));
    break;
  }
  return { global, sites, errors };
}

function site(d: CaddyDirective, directives: CaddyDirective[]): CaddySite {
  const addresses = [{ value: d.name, quoted: false, at: d.at }, ...d.args].flatMap((t) => t.value.split(',').filter((v) => v !== '').map((value) => ({ ...t, value })));
  return { addresses, at: d.at, directives, node: d };
}

/** Every directive under `list`, depth first. */
export function walkCaddy(list: readonly CaddyDirective[], visit: (d: CaddyDirective) => void): void {
  for (const d of list) {
    visit(d);
    if (d.block) walkCaddy(d.block, visit);
  }
}
