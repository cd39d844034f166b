/**
 * The token ledger: issuing, refresh rotation with reuse detection, and revocation. Tokens are signed outside the
 * store transaction (jose signs asynchronously and slowly, and other writers would wait); the transaction then
 * records them, after checking again what may have changed while they were signed.
 */
import type { JsonValue } from '../../core/audit/entry.js';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { subjectRevocationThreshold } from '../../core/jwt/revocation.js';
import { newJti, signToken, type SignedToken, type SigningKey, type TokenClaims } from '../../core/jwt/sign.js';
import type { Tx } from '../../store/store.js';
import type { IssueSpec } from './issue-spec.js';
import { signer, type JwtDeps } from './keyring.js';

export interface Issued {
  readonly access: SignedToken;
  readonly refresh?: SignedToken;
  readonly kid: string;
  readonly family?: string;
}

/**
 * Tokens are signed outside the ledger transaction under the subject's revocation mark read before signing. If a
 * `revoke --sub` commits in between, those tokens would be born dead: they are signed again under the new mark, a
 * bounded number of times (revocations are operator actions, not something a client can repeat at will).
 */
const SIGN_ATTEMPTS = 3;

function revokedWhileSigning(sub: string): AgentsecError {
  return new AgentsecError(`subject '${sub.slice(0, 80)}' was revoked again while its tokens were being signed: retry`, ExitCode.Runtime);
}

async function sign(d: Pick<JwtDeps, 'random'>, spec: IssueSpec, now: number, key: SigningKey): Promise<Issued> {
  const fam = spec.refreshTtlMs !== undefined ? (spec.claims.fam ?? newJti(d.random)) : undefined;
  const claims: TokenClaims = { ...spec.claims, fam };
  const access = await signToken(key, 'access', claims, { now, ttlMs: spec.accessTtlMs, random: d.random });
  if (spec.refreshTtlMs === undefined || fam === undefined) return { access, kid: key.kid };
  const refresh = await signToken(key, 'refresh', claims, { now, ttlMs: spec.refreshTtlMs, random: d.random });
  return { access, refresh, kid: key.kid, family: fam };
}

/** Records the tokens and the signing key's latest expiry, and forgets what expired a day ago. Inside the caller's transaction. */
async function ledger(tx: Tx, issued: Issued, sub: string, fam: string | null, now: number): Promise<void> {
  for (const t of [issued.access, issued.refresh]) {
    if (!t) continue;
    await tx.jwt.insertToken({ jti: t.jti, kind: t.kind, sub, kid: issued.kid, family: fam, issuedAt: t.iat * 1000, expiresAt: t.exp * 1000 });
    await tx.jwt.noteSigned(issued.kid, t.exp * 1000);
  }
  await tx.jwt.purge(now - 86_400_000);
}

function auditIssue(issued: Issued, sub: string, fam: string | null): Record<string, JsonValue> {
  return {
    sub,
    kid: issued.kid,
    jti: issued.access.jti,
    exp: issued.access.exp,
    ...(issued.refresh ? { refreshJti: issued.refresh.jti, refreshExp: issued.refresh.exp, family: fam } : {}),
  };
}

/**
 * Signs the tokens first, then records them and the signing key's latest expiry in one transaction. The tokens carry
 * the subject's revocation mark, read again in that transaction: a token is issued before a `revoke --sub` exactly
 * when its ledger entry committed before it. Audit point: `jwt.issue` (jti, sub, kid, expiries — never a token).
 */
export async function issueTokens(d: JwtDeps, spec: IssueSpec, now: number): Promise<Issued> {
  const key = await signer(d);
  const sub = spec.claims.sub;
  for (let attempt = 1; attempt <= SIGN_ATTEMPTS; attempt++) {
    const mark = await d.store.jwt.subjectMark(sub);
    const issued = await sign(d, { ...spec, claims: { ...spec.claims, sgen: mark } }, now, key);
    const fam = issued.family ?? null;
    const recorded = await d.store.transaction(async (tx) => {
      if ((await tx.jwt.subjectMark(sub)) !== mark) return false;
      await ledger(tx, issued, sub, fam, now);
      await d.audit(tx, 'jwt.issue', auditIssue(issued, sub, fam));
      return true;
    });
    if (recorded) return issued;
  }
  throw revokedWhileSigning(sub);
}

export type RefreshResult = { ok: true; issued: Issued } | { ok: false; reason: 'reused' | 'revoked' | 'unknown' };

/**
 * Exchanges a verified refresh token for a new pair. The check-and-mark is one transaction, so of two concurrent
 * uses exactly one wins; the loser (and any later replay) is reuse, which revokes the whole family. The same
 * transaction looks at the denylist again: a revocation that committed after the caller verified the refresh token
 * must not be outlived by a pair minted from it. The new pair carries the subject's current revocation mark.
 * Audit points: `jwt.refresh`, or `jwt.refresh-reuse` with the family.
 */
export async function rotateRefresh(d: JwtDeps, claims: Record<string, unknown>, spec: Omit<IssueSpec, 'claims'>, now: number): Promise<RefreshResult> {
  const jti = claims['jti'];
  if (typeof jti !== 'string') return { ok: false, reason: 'unknown' };
  const row = await d.store.jwt.token(jti);
  if (!row || row.kind !== 'refresh' || row.family === null) return { ok: false, reason: 'unknown' };
  const carried = carriedClaims(claims, row.sub, row.family);
  const threshold = subjectRevocationThreshold(claims);
  const family = row.family;
  const key = await signer(d);
  for (let attempt = 1; attempt <= SIGN_ATTEMPTS; attempt++) {
    const mark = await d.store.jwt.subjectMark(row.sub);
    const issued = await sign(d, { ...spec, claims: { ...carried, sgen: mark } }, now, key);
    const result = await d.store.transaction(async (tx): Promise<RefreshResult | null> => {
      if (await tx.jwt.isRevoked(jti, row.sub, threshold)) return { ok: false, reason: 'revoked' };
      if ((await tx.jwt.subjectMark(row.sub)) !== mark) return null;
      const current = await tx.jwt.token(jti);
      if (!current || current.usedAt !== null || !(await tx.jwt.markUsed(jti, now, issued.refresh?.jti ?? ''))) {
        await revokeFamily(tx, family, now);
        await d.audit(tx, 'jwt.refresh-reuse', { jti, family, sub: row.sub });
        return { ok: false, reason: 'reused' };
      }
      await ledger(tx, issued, row.sub, family, now);
      await d.audit(tx, 'jwt.refresh', { ...auditIssue(issued, row.sub, family), from: jti });
      return { ok: true, issued };
    });
    if (result) return result;
  }
  throw revokedWhileSigning(row.sub);
}

async function revokeFamily(tx: Tx, family: string, now: number): Promise<void> {
  for (const t of await tx.jwt.familyTokens(family)) await tx.jwt.revoke('jti', t.jti, now, t.expiresAt);
}

/** Denies a jti or every token of a subject issued so far, until such tokens would have expired. Audit point: `jwt.revoke`. */
export function revokeTokens(d: JwtDeps, kind: 'jti' | 'sub', value: string, now: number): Promise<{ until: number }> {
  return d.store.transaction(async (tx) => {
    const known = kind === 'jti' ? await tx.jwt.token(value) : undefined;
    // A known token stays denied until its own exp; otherwise until the latest exp any key ever signed.
    const until = Math.max(now, known?.expiresAt ?? (await tx.jwt.latestExpiry()) ?? now) + 60_000;
    await tx.jwt.revoke(kind, value, now, until);
    if (known?.kind === 'refresh' && known.family !== null) await revokeFamily(tx, known.family, now);
    await d.audit(tx, 'jwt.revoke', { kind, value, until });
    return { until };
  });
}

const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'role', 'fam', 'sgen']);

/** The claims a refreshed pair inherits from the refresh token: subject, audience, issuer, scope, role and extras. */
function carriedClaims(claims: Record<string, unknown>, sub: string, fam: string): TokenClaims {
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) if (!REGISTERED.has(k) && typeof v === 'string') extra[k] = v;
  const aud = claims['aud'];
  return {
    sub,
    fam,
    iss: typeof claims['iss'] === 'string' ? claims['iss'] : undefined,
    aud: typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : undefined,
    scope: typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter((s) => s !== '') : undefined,
    role: typeof claims['role'] === 'string' ? claims['role'] : undefined,
    extra,
  };
}
