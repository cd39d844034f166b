import { AgentsecError, ExitCode } from '../errors.js';

/** Canonical JSON entries are capped so one entry can never bloat the chain or a verifier's memory. */
export const MAX_CANON_BYTES = 64 * 1024;

export class CanonicalJsonError extends AgentsecError {
  constructor(path: string, reason: string) {
    super(`audit entry ${path}: ${reason}`, ExitCode.Usage);
  }
}

function encode(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      // Integers only: float formatting is where canonical JSON implementations disagree.
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, 'NaN and Infinity are not allowed');
      if (!Number.isInteger(value)) throw new CanonicalJsonError(path, `floats are not allowed (${value}): use an integer or a string`);
      if (Object.is(value, -0)) throw new CanonicalJsonError(path, '-0 is not allowed');
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(path, `integer ${value} is outside the safe range: use a string`);
      out.push(String(value));
      return;
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalJsonError(path, 'strings must be valid Unicode (a lone surrogate was found)');
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item, i) => {
          if (i > 0) out.push(',');
          encode(item, `${path}[${i}]`, out);
        });
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(path, 'only plain objects, arrays, strings, integers, booleans and null are allowed');
      // RFC 8785: members sorted by their UTF-16 code units, which is what the default string sort compares.
      const keys = Object.keys(value).sort();
      out.push('{');
      keys.forEach((k, i) => {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) throw new CanonicalJsonError(`${path}.${k}`, 'undefined is not allowed');
        if (!k.isWellFormed()) throw new CanonicalJsonError(path, 'keys must be valid Unicode');
        if (i > 0) out.push(',');
        out.push(JSON.stringify(k), ':');
        encode(v, `${path}.${k}`, out);
      });
      out.push('}');
      return;
    }
    default:
      throw new CanonicalJsonError(path, `${typeof value} values are not allowed`);
  }
}

/**
 * Serialises a value canonically (RFC 8785 subset: sorted keys, no whitespace, integers only), refusing floats,
 * NaN, -0, unsafe integers and anything that is not plain JSON data.
 */
export function canonicalize(value: unknown, path = '$'): string {
  const out: string[] = [];
  encode(value, path, out);
  return out.join('');
}
