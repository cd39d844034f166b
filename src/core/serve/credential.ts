/**
 * The credential a request carries, read from its headers the way forward-auth proxies pass them on: an API key in
 * `X-API-Key` or `Authorization: Bearer`, or a JWT access token in `Authorization: Bearer`. Which of the two a bearer
 * value is follows from its shape (a JWT is three base64url parts joined by dots; an API key has none), so no token
 * is ever tried as the other kind.
 */

export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'api-key'; readonly value: string }
  | { readonly kind: 'jwt'; readonly value: string }
  /** Something was sent but cannot be a credential (another auth scheme, two different keys, an overlong value). */
  | { readonly kind: 'invalid'; readonly reason: string };

/** Longer values are refused unread: no key is this long, and a JWT this long is an attack on the parser. */
export const MAX_CREDENTIAL_LENGTH = 8192;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Reads the credential from the `Authorization` and `X-API-Key` header values (undefined when absent). */
export function readCredential(authorization: string | undefined, apiKeyHeader: string | undefined): Credential {
  let bearer: string | undefined;
  if (authorization !== undefined && authorization !== '') {
    const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
    if (!m) return { kind: 'invalid', reason: 'unsupported-scheme' };
    bearer = m[1] as string;
  }
  const key = apiKeyHeader?.trim();
  if (key !== undefined && key !== '' && bearer !== undefined && bearer !== key) return { kind: 'invalid', reason: 'conflicting-credentials' };
  const value = bearer ?? (key === '' ? undefined : key);
  if (value === undefined) return { kind: 'none' };
  if (value.length > MAX_CREDENTIAL_LENGTH) return { kind: 'invalid', reason: 'oversized' };
  if (bearer !== undefined && JWT_SHAPE.test(value)) return { kind: 'jwt', value };
  return { kind: 'api-key', value };
}
