import { isGlob } from '../glob.js';
import type { Location, Position } from '../position.js';

/** One argument of a directive, as nginx reads it (quotes removed), with where it is written. */
export interface NgArg {
  readonly value: string;
  readonly quoted: boolean;
  /** Holds a `${VAR}` placeholder of a `*.conf.template` file: its value is unknown at lint time. */
  readonly placeholder: boolean;
  readonly at: Location;
}

/** A directive or a block (`server { … }`); `include`s are replaced by the directives of the included file. */
export interface NgDirective {
  readonly name: string;
  readonly args: readonly NgArg[];
  /** Where the name is written; `file` is set when it comes from an included file. */
  readonly at: Location;
  /** Children of a block; undefined for a simple directive. */
  readonly block?: NgDirective[];
  parent?: NgDirective | undefined;
  /** A template placeholder standing for whole directives (`${HTTPS_CONFIG}`): the block's content is not all known. */
  readonly placeholder?: boolean;
  /** An `include` that could not be read (absolute path, glob, missing file, cycle). */
  readonly unresolved?: boolean;
}

export interface NgError {
  readonly message: string;
  readonly at: Position;
}

export interface NginxParse {
  readonly directives: NgDirective[];
  readonly errors: NgError[];
}

/** Reads an included file: its display path and text, or null when it cannot be read. */
export type IncludeReader = (path: string, fromFile: string | undefined) => { readonly file: string; readonly key: string; readonly text: string } | null;

/** Expands an `include` glob (`conf.d/*.conf`) into paths `read` accepts, sorted; null when it cannot be expanded. */
export type IncludeExpander = (pattern: string, fromFile: string | undefined) => readonly string[] | null;

const PLACEHOLDER = /\$\{[A-Z_][A-Z0-9_]*\}/;
const MAX_INCLUDE_DEPTH = 16;
const MAX_INCLUDED_FILES = 200;
const MAX_DIRECTIVES = 200_000;
const MAX_DEPTH = 256;

interface Tok {
  readonly kind: 'word' | ';' | '{' | '}';
  readonly value: string;
  readonly quoted: boolean;
  readonly line: number;
  readonly column: number;
}

function tokenize(text: string, errors: NgError[]): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const n = text.length;
  const adv = (): string => {
    const c = text[i++] as string;
    if (c === '\n') {
      line++;
      col = 1;
    } else col++;
    return c;
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      adv();
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') adv();
      continue;
    }
    const l = line;
    const cl = col;
    if (c === ';' || c === '{' || c === '}') {
      adv();
      toks.push({ kind: c, value: c, quoted: false, line: l, column: cl });
      continue;
    }
    if (c === '"' || c === "'") {
      adv();
      let v = '';
      let closed = false;
      while (i < n) {
        const d = adv();
        if (d === '\\' && i < n) {
          const e = adv();
          v += e === c ? e : `\\${e}`;
          continue;
        }
        if (d === c) {
          closed = true;
          break;
        }
        v += d;
      }
      if (!closed) {
        errors.push({ message: `unterminated ${c === '"' ? 'double' : 'single'}-quoted string`, at: { line: l, column: cl } });
        return toks;
      }
      toks.push({ kind: 'word', value: v, quoted: true, line: l, column: cl });
      continue;
    }
    let v = '';
    while (i < n) {
      const d = text[i] as string;
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '"' || d === "'") break;
      if (d === '{' || d === '}') {
        // `${var}` is one token, in nginx variables and in template placeholders alike.
        if (d === '{' && v.endsWith('$')) {
          while (i < n && text[i] !== '}' && text[i] !== '\n') v += adv();
          if (i < n && text[i] === '}') v += adv();
          continue;
        }
        break;
      }
      if (d === '\\' && i + 1 < n) {
        adv();
        v += adv();
        continue;
      }
      v += adv();
    }
    toks.push({ kind: 'word', value: v, quoted: false, line: l, column: cl });
  }
  return toks;
}

interface Ctx {
  readonly read: IncludeReader;
  readonly expand: IncludeExpander;
  readonly template: boolean;
  readonly errors: NgError[];
  /** Files being included, for cycle protection. */
  readonly stack: string[];
  included: number;
  count: number;
}

/**
 * Parses nginx configuration into directives with positions. `include` is resolved through `read` (relative to the
 * including file; a glob through `expand`, its files in sorted order as nginx reads them) with cycle and depth
 * protection; an include that cannot be read (or a glob matching nothing) stays as an unresolved directive.
 * In a template (`*.conf.template`), `${VAR}` placeholders are unknown values, and a placeholder alone on its line
 * stands for whole directives. Errors (unbalanced braces, unterminated quotes, a missing `;`) come back as data.
 */
export function parseNginx(text: string, opts: { readonly template?: boolean; readonly read?: IncludeReader; readonly expand?: IncludeExpander; readonly key?: string } = {}): NginxParse {
  const errors: NgError[] = [];
  const ctx: Ctx = { read: opts.read ?? (() => null), expand: opts.expand ?? (() => null), template: opts.template ?? false, errors, stack: opts.key ? [opts.key] : [], included: 0, count: 0 };
  const directives = parseFile(text, undefined, ctx, errors);
  return { directives, errors };
}

function parseFile(text: string, file: string | undefined, ctx: Ctx, errors: NgError[]): NgDirective[] {
  const toks = tokenize(text, errors);
  const loc = (t: Tok): Location => (file === undefined ? { line: t.line, column: t.column } : { file, line: t.line, column: t.column });
  let p = 0;
  const root: NgDirective[] = [];
  const stack: Array<{ list: NgDirective[]; owner?: NgDirective; open?: Tok }> = [{ list: root }];
  const top = (): { list: NgDirective[]; owner?: NgDirective } => stack[stack.length - 1] as { list: NgDirective[]; owner?: NgDirective };
  while (p < toks.length) {
    if (++ctx.count > MAX_DIRECTIVES) {
      errors.push({ message: 'too many directives: not an nginx configuration a server would load', at: { line: 1, column: 1 } });
      return root;
    }
    const t = toks[p] as Tok;
    if (t.kind === '}') {
      if (stack.length === 1) {
        if (file === undefined) errors.push({ message: "unexpected '}' with no open block", at: { line: t.line, column: t.column } });
        return root;
      }
      stack.pop();
      p++;
      continue;
    }
    if (t.kind === ';' || t.kind === '{') {
      errors.push({ message: `unexpected '${t.kind}' where a directive name was expected`, at: { line: t.line, column: t.column } });
      return root;
    }
    // A template placeholder standing alone on its line: directives only known at deploy time.
    if (ctx.template && !t.quoted && /^\$\{[A-Z_][A-Z0-9_]*\}$/.test(t.value)) {
      const next = toks[p + 1];
      if (next === undefined || next.kind === '}' || next.line > t.line) {
        const d: NgDirective = { name: t.value, args: [], at: loc(t), placeholder: true, parent: top().owner };
        top().list.push(d);
        p++;
        continue;
      }
    }
    const args: NgArg[] = [];
    let q = p + 1;
    while (q < toks.length && (toks[q] as Tok).kind === 'word') {
      const a = toks[q] as Tok;
      args.push({ value: a.value, quoted: a.quoted, placeholder: ctx.template && PLACEHOLDER.test(a.value), at: loc(a) });
      q++;
    }
    const end = toks[q];
    if (end === undefined) {
      if (errors.length === 0) errors.push({ message: `directive '${t.value}' has no terminating ';'`, at: { line: t.line, column: t.column } });
      return root;
    }
    if (end.kind === '}') {
      errors.push({ message: `directive '${t.value}' has no terminating ';'`, at: { line: t.line, column: t.column } });
      return root;
    }
    const owner = top().owner;
    if (end.kind === '{') {
      if (stack.length > MAX_DEPTH) {
        errors.push({ message: `blocks nested deeper than ${MAX_DEPTH} levels`, at: { line: t.line, column: t.column } });
        return root;
      }
      const d: NgDirective = { name: t.value, args, at: loc(t), block: [], parent: owner };
      top().list.push(d);
      stack.push({ list: d.block as NgDirective[], owner: d, open: t });
      p = q + 1;
      continue;
    }
    p = q + 1;
    if (t.value === 'include' && args.length === 1) {
      const included = include(args[0] as NgArg, file, ctx);
      if (included) {
        for (const d of included) d.parent = owner;
        top().list.push(...included);
        continue;
      }
      top().list.push({ name: t.value, args, at: loc(t), parent: owner, unresolved: true });
      continue;
    }
    top().list.push({ name: t.value, args, at: loc(t), parent: owner });
  }
  if (stack.length > 1 && errors.length === 0) {
    const open = stack[stack.length - 1]?.open as Tok;
    errors.push({ message: `block '${open.value}' is never closed: missing '}'`, at: { line: open.line, column: open.column } });
  }
  return root;
}

function include(arg: NgArg, from: string | undefined, ctx: Ctx): NgDirective[] | null {
  if (arg.placeholder || ctx.stack.length > MAX_INCLUDE_DEPTH || ctx.included >= MAX_INCLUDED_FILES) return null;
  const paths = isGlob(arg.value) ? ctx.expand(arg.value, from) : [arg.value];
  if (!paths || paths.length === 0) return null;
  const out: NgDirective[] = [];
  let read = 0;
  for (const path of paths) {
    if (ctx.included >= MAX_INCLUDED_FILES) break;
    const r = ctx.read(path, from);
    if (!r || ctx.stack.includes(r.key)) continue;
    ctx.included++;
    read++;
    ctx.stack.push(r.key);
    // Errors of an included file belong to that file, which is linted on its own: they are not this file's errors.
    const own: NgError[] = [];
    out.push(...parseFile(r.text, r.file, ctx, own));
    ctx.stack.pop();
  }
  return read > 0 ? out : null;
}

/** Every directive of the tree, depth first. */
export function walkNginx(list: readonly NgDirective[], visit: (d: NgDirective) => void): void {
  for (const d of list) {
    visit(d);
    if (d.block) walkNginx(d.block, visit);
  }
}

/** The block itself and its ancestors, innermost first. */
export function chain(block: NgDirective | undefined): NgDirective[] {
  const out: NgDirective[] = [];
  for (let b = block; b; b = b.parent) out.push(b);
  return out;
}

/** Directives named `name` directly in the block (or at the top level when block is undefined). */
export function own(list: readonly NgDirective[], name: string): NgDirective[] {
  return list.filter((d) => d.name === name);
}
