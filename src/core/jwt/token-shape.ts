/**
 * Shape checks run before any cryptography: a compact JWS is exactly three base64url segments with a JSON object
 * header. Anything else is `malformed`, reported without a stack trace.
 */
const B64URL = /^[A-Za-z0-9_-]+$/;

export type ShapeResult =
  | { readonly ok: true; readonly header: Record<string, unknown>; readonly claims: Record<string, unknown> | null }
  | { readonly ok: false };

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  // A base64url length of 1 mod 4 cannot encode whole bytes.
  if (!B64URL.test(segment) || segment.length % 4 === 1) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Splits and decodes a compact JWT without verifying it. `claims` is null when the payload is not a JSON object. */
export function parseTokenShape(token: string, opts: { claims?: boolean } = {}): ShapeResult {
  if (token.length > 16_384) return { ok: false };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false };
  const [h, p, s] = parts as [string, string, string];
  if (!B64URL.test(s) || s.length % 4 === 1) return { ok: false };
  const header = decodeJsonObject(h);
  if (!header) return { ok: false };
  // Verification needs only the header here (jose decodes the payload after the signature): skip the double work.
  if (opts.claims === false) return B64URL.test(p) ? { ok: true, header, claims: null } : { ok: false };
  return { ok: true, header, claims: decodeJsonObject(p) };
}
