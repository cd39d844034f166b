import { usageError } from '../../core/errors.js';
import { ENCODINGS, isEncoding, MAX_SECRET_BYTES, MIN_SECRET_BYTES, type Encoding } from '../../core/secrets/generate.js';

/** A whole number flag within bounds, or a usage error naming the flag. */
export function parseIntFlag(text: string | undefined, flag: string, def: number, min: number, max: number): number {
  if (text === undefined) return def;
  if (!/^\d+$/.test(text.trim())) throw usageError(`${flag}: '${text}' is not a whole number`);
  const n = Number(text.trim());
  if (n < min || n > max) throw usageError(`${flag}: must be between ${min} and ${max}`);
  return n;
}

/** --bytes: at least 16 (128 bits) unless --allow-weak. */
export function parseBytesFlag(text: string | undefined, allowWeak: boolean): number {
  const n = parseIntFlag(text, '--bytes', 32, 1, MAX_SECRET_BYTES);
  if (n < MIN_SECRET_BYTES && !allowWeak) throw usageError(`--bytes ${n} is below ${MIN_SECRET_BYTES} (128 bits): use more, or pass --allow-weak`);
  return n;
}

export function parseEncodingFlag(text: string | undefined): Encoding {
  const e = text ?? 'base64url';
  if (!isEncoding(e)) throw usageError(`--encoding: '${e}' is not one of ${ENCODINGS.join(', ')}`);
  return e;
}
