import * as nodeBuffer from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { missingPermissions, effectivePermissions, isRole } from '../apikeys/permissions.js';
import { ACCESS_TYP, REFRESH_TYP, type JwtAlg, type JwtReason, type TokenKind } from './algs.js';
import { checkClaims } from './claims.js';
import { verifySignature } from './signature.js';
import { parseTokenShape } from './token-shape.js';

/** A key that may verify: its public half (or the HMAC secret) and the one algorithm it was made for. */
export interface VerifyKey {
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly key: KeyObject | Uint8Array;
  /** Set for a key of an external issuer: its tokens are checked against its own issuer and audience. */
  readonly external?: ExternalIssuer | undefined;
  /** The last instant (ms) this key verifies, when it is retiring: a verified token is cached no longer than this. */
  readonly verifiesUntil?: number | undefined;
}

/** What an external issuer's tokens must carry, instead of agentsec's own `jwt.issuer`/`jwt.audience`. */
export interface ExternalIssuer {
  readonly name: string;
  /** `secret`: a kid-less HS256 token of a server sharing the secret; `jwks`: an IdP key looked up by kid. */
  readonly kind: 'secret' | 'jwks';
  readonly issuer?: string | undefined;
  readonly audience?: readonly string[] | undefined;
}

export interface VerifyKeyring {
  /** agentsec's own keys that still verify (active and retiring). */
  readonly keys: readonly VerifyKey[];
  /** Keys of external issuers that still verify; never used for a token agentsec issued (typ at+jwt/rt+jwt). */
  readonly external?: readonly VerifyKey[] | undefined;
}

export interface VerifyPolicy {
  readonly now: number;
  readonly kind: TokenKind;
  readonly issuer?: string | undefined;
  /** Accepted audiences; the token must name at least one. */
  readonly audience?: readonly string[] | undefined;
  readonly clockToleranceS: number;
  readonly maxAgeS?: number | undefined;
  /** Permissions the token must grant through its `scope` and `role` claims. */
  readonly scopes?: readonly string[] | undefined;
  /** Called only after the signature and claims check out (a store lookup, so it may answer asynchronously). */
  readonly isRevoked?: ((claims: Readonly<Record<string, unknown>>) => boolean | Promise<boolean>) | undefined;
}

export interface JwtVerdict {
  readonly valid: boolean;
  readonly reason?: JwtReason;
  readonly header?: Record<string, unknown>;
  /** Only for a token whose signature verified. */
  readonly claims?: Record<string, unknown>;
  readonly missingScopes?: string[];
  readonly kid?: string;
  /** The external issuer whose key verified the token (absent for agentsec's own tokens). */
  readonly issuer?: string;
  /** The last instant (ms) a valid verdict holds: the earliest of exp, iat + max age and the key's end, plus tolerance. */
  readonly validUntil?: number;
}

// Headers that would let the token choose its own verification key: never honoured, always refused.
const KEY_BEARING_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];

function normaliseTyp(typ: unknown): string | null {
  if (typeof typ !== 'string') return null;
  return typ.toLowerCase().replace(/^application\//, '');
}

/** The reason for a jose verification error (verifyJws; and the differential test of the claim checks). */
export function reasonFromJose(err: unknown): JwtReason {
  const e = err as { code?: string; claim?: string; reason?: string };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      // jose reports a maxTokenAge failure as expiry of the iat claim.
      return e.claim === 'iat' ? 'too-old' : 'expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad-signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'alg-not-allowed';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.reason === 'missing') return 'missing-claim';
      if (e.claim === 'iss') return 'wrong-issuer';
      if (e.claim === 'aud') return 'wrong-audience';
      if (e.claim === 'nbf') return 'not-yet-valid';
      if (e.claim === 'iat') return e.reason === 'check_failed' ? 'too-old' : 'malformed';
      if (e.claim === 'exp') return 'expired';
      return 'malformed';
    default:
      return 'malformed';
  }
}

/** Scopes a token grants: its space-separated `scope` claim (RFC 9068) plus its role's permissions. */
export function grantedPermissions(claims: Readonly<Record<string, unknown>>): string[] {
  const scope = typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter((s) => s !== '') : [];
  const role = typeof claims['role'] === 'string' && isRole(claims['role']) ? claims['role'] : null;
  return effectivePermissions(role, scope);
}

// Strict like jose's decoder: a payload that is not valid UTF-8 is malformed, never patched with U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (nodeBuffer as { isUtf8?: (b: Uint8Array) => boolean }).isUtf8;

function decodePayload(segment: string): Record<string, unknown> | undefined {
  try {
    const bytes = Buffer.from(segment, 'base64url');
    // isUtf8 is one native scan; the fatal decoder is the fallback where it is missing (Node < 18.14).
    const text = isUtf8 ? (isUtf8(bytes) ? bytes.toString('utf8') : undefined) : utf8.decode(bytes);
    if (text === undefined) return undefined;
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type Selection = { ok: true; key: VerifyKey } | { ok: false; reason: JwtReason; kid?: string };

/**
 * Picks the verification key for a header: by `kid` from the keyring only (never from a key-bearing header), the
 * single key when there is no `kid`, and only if the header's `alg` is the one the key was made for — which is what
 * stops `none` and key confusion (an HS256 token "signed" with a public key).
 */
export function selectKey(header: Readonly<Record<string, unknown>>, ring: VerifyKeyring): Selection {
  if (typeof header['alg'] !== 'string') return { ok: false, reason: 'malformed' };
  if (KEY_BEARING_HEADERS.some((h) => h in header)) return { ok: false, reason: 'embedded-key' };
  let key: VerifyKey | undefined;
  if (header['kid'] !== undefined) {
    if (typeof header['kid'] !== 'string') return { ok: false, reason: 'malformed' };
    key = ring.keys.find((k) => k.kid === header['kid']);
  } else if (ring.keys.length > 1) {
    return { ok: false, reason: 'missing-kid' };
  } else {
    key = ring.keys[0];
  }
  if (!key) return { ok: false, reason: 'unknown-kid' };
  if (header['alg'] !== key.alg) return { ok: false, reason: 'alg-not-allowed', kid: key.kid };
  return { ok: true, key };
}

/**
 * Verifies the signature of any compact JWS (the payload need not be JSON) with the same key selection as
 * {@link verifyToken}; no claim is checked. For test vectors and raw JWS interop.
 */
export async function verifyJws(token: string, ring: VerifyKeyring): Promise<{ valid: true; payload: Uint8Array; kid: string } | { valid: false; reason: JwtReason }> {
  const shape = parseTokenShape(token);
  if (!shape.ok) return { valid: false, reason: 'malformed' };
  const picked = selectKey(shape.header, ring);
  if (!picked.ok) return { valid: false, reason: picked.reason };
  const { compactVerify } = await import('jose');
  try {
    const r = await compactVerify(token, picked.key.key, { algorithms: [picked.key.alg] });
    return { valid: true, payload: r.payload, kid: picked.key.kid };
  } catch (err) {
    return { valid: false, reason: reasonFromJose(err) };
  }
}

type Route = { own: true } | { own: false; candidates: readonly VerifyKey[] };

/**
 * Which keys may verify a header. A token agentsec issued has typ at+jwt or rt+jwt and goes to its own keys only.
 * A token with a kid that names an IdP key goes to that key; a kid-less token typed `JWT` (or untyped), as other
 * servers issue them, goes to the external HS256 secrets only, never to agentsec's own keys. Anything else takes
 * agentsec's own path, which refuses what is not its own.
 */
function route(header: Readonly<Record<string, unknown>>, typ: string | null, ring: VerifyKeyring): Route {
  const external = ring.external ?? [];
  if (external.length === 0) return { own: true };
  const kid = header['kid'];
  if (typeof kid === 'string') {
    // Trusting a JWKS refuses a kid that is one of agentsec's own, so a kid names one key in the whole ring.
    const k = external.find((e) => e.external?.kind === 'jwks' && e.kid === kid);
    return k ? { own: false, candidates: [k] } : { own: true };
  }
  if (kid === undefined && (typ === null || typ === 'jwt')) {
    const secrets = external.filter((e) => e.external?.kind === 'secret');
    if (secrets.length > 0) return { own: false, candidates: secrets };
  }
  return { own: true };
}

function externalTypOk(typ: string | null, kind: 'secret' | 'jwks'): boolean {
  // An IdP access token may follow RFC 9068 (at+jwt); a kid-less server token is JWT or untyped (route() saw to it).
  // A refresh-typed token is never an external access token.
  return typ === null || typ === 'jwt' || (kind === 'jwks' && typ === ACCESS_TYP);
}

function verdictEnd(claims: Readonly<Record<string, unknown>>, key: VerifyKey, policy: VerifyPolicy): number {
  const tol = policy.clockToleranceS * 1000;
  let end = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 + tol : policy.now;
  if (policy.maxAgeS !== undefined && typeof claims['iat'] === 'number') end = Math.min(end, (claims['iat'] + policy.maxAgeS) * 1000 + tol);
  if (key.verifiesUntil !== undefined) end = Math.min(end, key.verifiesUntil);
  return end;
}

type Plan = { readonly reason: JwtReason; readonly kid?: string } | { readonly own: boolean; readonly typ: string | null; readonly candidates: readonly VerifyKey[] };

/**
 * What a header leads to with this ring: a refusal, or the keys that may verify it. Depends only on the two, and
 * both are shared objects (a ring lives until the store changes; decoded headers are memoised and frozen), so it is
 * worked out once per pair rather than once per token.
 */
const PLANS = new WeakMap<VerifyKeyring, WeakMap<object, Plan>>();

function planFor(header: Readonly<Record<string, unknown>>, ring: VerifyKeyring): Plan {
  let byHeader = PLANS.get(ring);
  let plan = byHeader?.get(header);
  if (plan) return plan;
  plan = makePlan(header, ring);
  // Only frozen (memoised) headers are remembered: a caller's own header object may change under us.
  if (Object.isFrozen(header)) {
    if (!byHeader) PLANS.set(ring, (byHeader = new WeakMap()));
    byHeader.set(header, plan);
  }
  return plan;
}

function makePlan(header: Readonly<Record<string, unknown>>, ring: VerifyKeyring): Plan {
  if (typeof header['alg'] !== 'string') return { reason: 'malformed' };
  if (KEY_BEARING_HEADERS.some((h) => h in header)) return { reason: 'embedded-key' };
  // jose's compactVerify refuses any `crit` extension it was not told of, and a JWT with an unencoded payload.
  if ('crit' in header || 'b64' in header) return { reason: 'malformed' };
  const typ = normaliseTyp(header['typ']);
  const r = route(header, typ, ring);
  if (r.own) {
    const picked = selectKey(header, ring);
    if (!picked.ok) return picked.kid !== undefined ? { reason: picked.reason, kid: picked.kid } : { reason: picked.reason };
    return { own: true, typ, candidates: [picked.key] };
  }
  const sameAlg = r.candidates.filter((k) => k.alg === header['alg']);
  if (sameAlg.length === 0) {
    const reason: JwtReason = r.candidates.length === 0 ? 'unknown-kid' : 'alg-not-allowed';
    return r.candidates.length === 1 ? { reason, kid: (r.candidates[0] as VerifyKey).kid } : { reason };
  }
  const candidates = sameAlg.filter((k) => externalTypOk(typ, k.external?.kind ?? 'secret'));
  if (candidates.length === 0) return { reason: 'wrong-type' };
  return { own: false, typ, candidates };
}

/**
 * Verifies a compact JWT strictly: the algorithm comes from the key (never from the token alone, never `none`), the
 * key is picked by `kid` from the keyring only (key-bearing headers are refused), `exp` is required, `iss`/`aud` are
 * checked whenever the policy (or, for an external issuer, its own configuration) names them, and the `typ` must
 * match the expected kind. Returns a reason, never throws for a bad token.
 */
export async function verifyToken(token: string, ring: VerifyKeyring, policy: VerifyPolicy): Promise<JwtVerdict> {
  const shape = parseTokenShape(token, { claims: false });
  if (!shape.ok) return { valid: false, reason: 'malformed' };
  const header = shape.header;
  const fail = (reason: JwtReason, extra: Partial<JwtVerdict> = {}): JwtVerdict => ({ valid: false, reason, header, ...extra });
  const plan = planFor(header, ring);
  if ('reason' in plan) return fail(plan.reason, plan.kid !== undefined ? { kid: plan.kid } : {});
  let candidates: readonly VerifyKey[];
  if (plan.own) {
    const expectedTyp = policy.kind === 'access' ? ACCESS_TYP : REFRESH_TYP;
    if (plan.typ !== expectedTyp) return fail('wrong-type', { kid: (plan.candidates[0] as VerifyKey).kid });
    candidates = plan.candidates;
  } else {
    // An external issuer's tokens are access tokens; agentsec alone issues refresh tokens it can rotate.
    if (policy.kind !== 'access') return fail('wrong-type');
    candidates = plan.candidates;
  }
  const lastDot = token.lastIndexOf('.');
  const signingInput = token.slice(0, lastDot);
  const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
  let key: VerifyKey | undefined;
  // Several kid-less secrets (a rotation's grace) are tried in turn; only the signature decides which one.
  for (const k of candidates) {
    if (verifySignature(k.alg, k.key, signingInput, signature)) {
      key = k;
      break;
    }
  }
  if (!key) return fail('bad-signature', candidates.length === 1 ? { kid: (candidates[0] as VerifyKey).kid } : {});
  const ext = key.external ? { issuer: key.external.name } : {};
  const claims = decodePayload(signingInput.slice(signingInput.indexOf('.') + 1));
  if (!claims) return fail('malformed', { kid: key.kid, ...ext });
  const claimsFail = checkClaims(claims, {
    now: policy.now,
    clockToleranceS: policy.clockToleranceS,
    issuer: key.external ? key.external.issuer : policy.issuer,
    audience: key.external ? key.external.audience : policy.audience,
    maxAgeS: policy.maxAgeS,
  });
  if (claimsFail) return fail(claimsFail, { kid: key.kid, ...ext });
  if (policy.isRevoked && (await policy.isRevoked(claims))) return fail('revoked', { kid: key.kid, ...ext });
  if (policy.scopes && policy.scopes.length > 0) {
    const missing = missingPermissions(grantedPermissions(claims), policy.scopes);
    if (missing.length > 0) return fail('insufficient-scope', { kid: key.kid, claims, missingScopes: missing, ...ext });
  }
  return { valid: true, header, claims, kid: key.kid, ...ext, validUntil: verdictEnd(claims, key, policy) };
}
