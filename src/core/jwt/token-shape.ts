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

// Headers repeat (a keyring has a handful of kids): decoded once, frozen, and shared. Bounded, and cleared whole when
// full, so a stream of junk headers costs memory for at most this many.
const HEADERS = new Map<string, Readonly<Record<string, unknown>>>();
const HEADER_MEMO = 256;

function memoHeader(segment: string): Record<string, unknown> | null {
  const known = HEADERS.get(segment);
  if (known) return known as Record<string, unknown>;
  const header = decodeJsonObject(segment);
  if (!header) return null;
  if (HEADERS.size >= HEADER_MEMO) HEADERS.clear();
  HEADERS.set(segment, Object.freeze(header));
  return header;
}

/**
 * The same checks for verification, which needs only the header here (the payload is decoded after the signature):
 * without splitting into new strings but the header's, which is looked up decoded.
 */
function headerOnly(token: string): ShapeResult {
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  if (b < 0 || token.indexOf('.', b + 1) >= 0) return { ok: false };
  const sigLength = token.length - b - 1;
  if (a === 0 || b === a + 1 || sigLength === 0 || sigLength % 4 === 1) return { ok: false };
  B64URL_AT.lastIndex = a + 1;
  const m = B64URL_AT.exec(token);
  if (!m || m.index !== a + 1 || m[0].length !== b - a - 1) return { ok: false };
  B64URL_AT.lastIndex = b + 1;
  const n = B64URL_AT.exec(token);
  if (!n || n.index !== b + 1 || n[0].length !== sigLength) return { ok: false };
  const header = memoHeader(token.slice(0, a));
  return header ? { ok: true, header, claims: null } : { ok: false };
}
const B64URL_AT = /[A-Za-z0-9_-]+/y;

/** Splits and decodes a compact JWT without verifying it. `claims` is null when the payload is not a JSON object. */
export function parseTokenShape(token: string, opts: { claims?: boolean } = {}): ShapeResult {
  if (token.length > 16_384) return { ok: false };
  if (opts.claims === false) return headerOnly(token);
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false };
  const [h, p, s] = parts as [string, string, string];
  if (!B64URL.test(s) || s.length % 4 === 1) return { ok: false };
  const header = decodeJsonObject(h);
  if (!header) return { ok: false };
  return { ok: true, header, claims: decodeJsonObject(p) };
}
