/**
 * Compose-style variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
 * `${VAR:+alt}`, `$$` for a literal dollar, defaults nesting further references.
 */

/** Where an interpolated value came from. `offset`/`length` point into the raw text. */
export type Origin =
  | { readonly kind: 'literal' }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'default'; readonly name: string; readonly offset: number; readonly length: number }
  | { readonly kind: 'unset'; readonly name: string }
  | { readonly kind: 'mixed' };

export interface Interpolated {
  /** The value Compose would use; undefined when it depends on a variable unknown at lint time. */
  readonly value: string | undefined;
  readonly origin: Origin;
  /** Whether the raw text references any variable. */
  readonly interpolated: boolean;
  /** The inline defaults written in the text (`${SECRET:-literal}`), with their place in the raw text. */
  readonly defaults: ReadonlyArray<{ readonly name: string; readonly text: string; readonly offset: number }>;
}

interface Piece {
  value: string | undefined;
  origin: Origin;
}

/**
 * Interpolates `raw` with `lookup` (the sibling .env; the process environment is deliberately not consulted, so a
 * lint result does not depend on the shell it runs in).
 */
export function interpolate(raw: string, lookup: (name: string) => string | undefined): Interpolated {
  if (!raw.includes('$')) return { value: raw, origin: { kind: 'literal' }, interpolated: false, defaults: [] };
  const defaults: Array<{ name: string; text: string; offset: number }> = [];
  const pieces: Piece[] = [];
  let i = 0;
  let literal = '';
  const flush = (): void => {
    if (literal !== '') pieces.push({ value: literal, origin: { kind: 'literal' } });
    literal = '';
  };
  let interpolated = false;
  while (i < raw.length) {
    const c = raw[i];
    if (c !== '$') {
      literal += c;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === '$') {
      literal += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(raw, i + 1);
      if (end < 0) {
        literal += raw.slice(i);
        break;
      }
      flush();
      interpolated = true;
      pieces.push(resolveBraced(raw, i + 2, end, lookup, defaults));
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(i + 1));
    if (m) {
      flush();
      interpolated = true;
      const name = m[0];
      const v = lookup(name);
      pieces.push(v === undefined ? { value: undefined, origin: { kind: 'unset', name } } : { value: v, origin: { kind: 'var', name } });
      i += 1 + name.length;
      continue;
    }
    literal += c;
    i++;
  }
  flush();
  if (pieces.length === 0) return { value: '', origin: { kind: 'literal' }, interpolated, defaults };
  if (pieces.length === 1) {
    const p = pieces[0] as Piece;
    return { value: p.value, origin: p.origin, interpolated, defaults };
  }
  const value = pieces.some((p) => p.value === undefined) ? undefined : pieces.map((p) => p.value).join('');
  return { value, origin: { kind: 'mixed' }, interpolated, defaults };
}

function matchingBrace(raw: string, open: number): number {
  let depth = 0;
  for (let j = open; j < raw.length; j++) {
    if (raw[j] === '{') depth++;
    else if (raw[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function resolveBraced(raw: string, start: number, end: number, lookup: (name: string) => string | undefined, defaults: Array<{ name: string; text: string; offset: number }>): Piece {
  const body = raw.slice(start, end);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+=])([\s\S]*))?$/.exec(body);
  if (!m) return { value: undefined, origin: { kind: 'mixed' } };
  const name = m[1] as string;
  const op = m[2];
  const rest = m[3] ?? '';
  const restOffset = start + name.length + (op?.length ?? 0);
  const set = lookup(name);
  if (!op) return set === undefined ? { value: undefined, origin: { kind: 'unset', name } } : { value: set, origin: { kind: 'var', name } };
  const colon = op.startsWith(':');
  const kind = op.slice(-1);
  const present = colon ? set !== undefined && set !== '' : set !== undefined;
  if (kind === '-' || kind === '=') {
    defaults.push({ name, text: rest, offset: restOffset });
    if (present) return { value: set, origin: { kind: 'var', name } };
    const inner = interpolate(rest, lookup);
    for (const d of inner.defaults) defaults.push({ ...d, offset: d.offset + restOffset });
    if (!inner.interpolated) return { value: rest, origin: { kind: 'default', name, offset: restOffset, length: rest.length } };
    const origin: Origin = inner.origin.kind === 'default' ? { ...inner.origin, offset: inner.origin.offset + restOffset } : inner.origin;
    return { value: inner.value, origin };
  }
  if (kind === '?') return present ? { value: set, origin: { kind: 'var', name } } : { value: undefined, origin: { kind: 'unset', name } };
  // `+`: the alternative when set.
  if (!present) return { value: '', origin: { kind: 'literal' } };
  const inner = interpolate(rest, lookup);
  return { value: inner.value, origin: inner.interpolated ? inner.origin : { kind: 'literal' } };
}
