import { createSecretKey } from 'node:crypto';
import type { AuditRecorder } from '../audit/open.js';
import { open, seal, type RandomSource } from '../core/crypto/seal.js';
import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import { keyStatus, type JwtAlg, type KeyStatus, type TokenKind } from '../core/jwt/algs.js';
import { makeKeyMaterial, publicKeyFrom, signingKeyFrom, type PublicJwk } from '../core/jwt/key-material.js';
import { subjectRevocationThreshold } from '../core/jwt/revocation.js';
import { newJti, signToken, type SignedToken, type SigningKey, type TokenClaims } from '../core/jwt/sign.js';
import type { VerifyKey, VerifyKeyring } from '../core/jwt/verify.js';
import type { Db } from '../store/db.js';
import type { JwtKeyRow, JwtRepo } from '../store/jwt-repo.js';

export interface KeyView {
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly createdAt: string;
  readonly retiredAt: string | null;
  readonly status: KeyStatus;
  readonly verifiesUntil: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Tokens are signed outside the ledger transaction (jose is async) under the subject's revocation mark read before
 * signing. If a `revoke --sub` commits in between, those tokens would be born dead: they are signed again under the
 * new mark, a bounded number of times (revocations are operator actions, not something a client can repeat at will).
 */
const SIGN_ATTEMPTS = 3;

function revokedWhileSigning(sub: string): AgentsecError {
  return new AgentsecError(`subject '${sub.slice(0, 80)}' was revoked again while its tokens were being signed: retry`, ExitCode.Runtime);
}

export function keyView(k: JwtKeyRow, now: number): KeyView {
  const status = keyStatus(k, now);
  return { kid: k.kid, alg: k.alg, createdAt: iso(k.createdAt) as string, retiredAt: iso(k.retiredAt), status, verifiesUntil: status === 'active' ? null : iso(k.lastExp) };
}

export interface Issued {
  readonly access: SignedToken;
  readonly refresh?: SignedToken;
  readonly kid: string;
  readonly family?: string;
}

export interface IssueSpec {
  readonly claims: TokenClaims;
  readonly accessTtlMs: number;
  /** When set, a refresh token is issued too (a new family unless `claims.fam` continues one). */
  readonly refreshTtlMs?: number | undefined;
}

/**
 * The JWT keyring and token ledger over one store. `sealKey` is the master-key subkey for `agentsec.jwt.keys.v1`
 * (only needed to sign, and to verify HS256); `audit` appends inside the same transaction as each change.
 */
export class JwtService {
  constructor(
    readonly db: Db,
    readonly repo: JwtRepo,
    private readonly sealKey: Buffer | null,
    private readonly audit: AuditRecorder | null,
    private readonly random: RandomSource,
  ) {}

  private unseal(k: JwtKeyRow): Buffer {
    if (!this.sealKey) throw usageError('the master key is needed for this operation');
    return open(this.sealKey, k.privateSealed, k.kid);
  }

  private record(type: string, data: Record<string, import('../core/audit/entry.js').JsonValue>): void {
    this.audit?.(type, data);
  }

  /** Generates (or imports, for HS256) a key; it becomes the signing key. Audit point: `jwt.keygen`. */
  async keygen(alg: JwtAlg, now: number, importedSecret?: Buffer): Promise<JwtKeyRow> {
    if (!this.sealKey) throw usageError('the master key is needed to store a signing key');
    const m = await makeKeyMaterial(alg, { random: this.random, importedSecret });
    const sealed = seal(this.sealKey, m.secret, m.kid, this.random);
    m.secret.fill(0);
    this.db.transaction(() => {
      if (this.repo.key(m.kid)) throw usageError(`a key with kid ${m.kid} already exists`);
      this.repo.insertKey({ kid: m.kid, alg, createdAt: now, publicJwk: m.publicJwk, privateSealed: sealed });
      this.record('jwt.keygen', { kid: m.kid, alg, imported: importedSecret !== undefined });
    }).immediate();
    return this.repo.key(m.kid) as JwtKeyRow;
  }

  /** Stops a key signing; it verifies until its last token expires. Audit point: `jwt.retire` (only when it changed). */
  retire(kid: string, now: number): { key: JwtKeyRow; changed: boolean } {
    return this.db.transaction(() => {
      if (!this.repo.key(kid)) throw usageError(`no JWT key with kid '${kid.slice(0, 80)}': see agentsec jwt keys`);
      const changed = this.repo.retire(kid, now);
      if (changed) this.record('jwt.retire', { kid });
      return { key: this.repo.key(kid) as JwtKeyRow, changed };
    }).immediate();
  }

  /** Active and retiring keys, as verification keys. */
  verifyRing(now: number): VerifyKeyring {
    const keys: VerifyKey[] = [];
    for (const k of this.repo.keys()) {
      if (keyStatus(k, now) === 'retired') continue;
      // A KeyObject, made once per ring: jose would otherwise import raw secret bytes again on every verification.
      const key = k.alg === 'HS256' ? createSecretKey(this.unseal(k)) : publicKeyFrom(k.publicJwk as PublicJwk);
      keys.push({ kid: k.kid, alg: k.alg, key });
    }
    return { keys };
  }

  /** The JWKS: public halves of active and retiring asymmetric keys (never an HMAC secret). */
  jwks(now: number): { keys: PublicJwk[] } {
    return { keys: this.repo.keys().filter((k) => k.publicJwk !== null && keyStatus(k, now) !== 'retired').map((k) => k.publicJwk as PublicJwk) };
  }

  /** The newest active key. */
  signer(): SigningKey {
    const active = this.repo.keys().filter((k) => k.retiredAt === null);
    const k = active[active.length - 1];
    if (!k) throw usageError('no active JWT signing key: run agentsec jwt keygen');
    return { kid: k.kid, alg: k.alg, key: signingKeyFrom(k.alg, this.unseal(k)) };
  }

  private async sign(spec: IssueSpec, now: number, signer: SigningKey): Promise<Issued> {
    const fam = spec.refreshTtlMs !== undefined ? (spec.claims.fam ?? newJti(this.random)) : undefined;
    const claims: TokenClaims = { ...spec.claims, fam };
    const access = await signToken(signer, 'access', claims, { now, ttlMs: spec.accessTtlMs, random: this.random });
    if (spec.refreshTtlMs === undefined || fam === undefined) return { access, kid: signer.kid };
    const refresh = await signToken(signer, 'refresh', claims, { now, ttlMs: spec.refreshTtlMs, random: this.random });
    return { access, refresh, kid: signer.kid, family: fam };
  }

  private ledger(issued: Issued, sub: string, fam: string | null, now: number): void {
    for (const t of [issued.access, issued.refresh]) {
      if (!t) continue;
      this.repo.insertToken({ jti: t.jti, kind: t.kind, sub, kid: issued.kid, family: fam, issuedAt: t.iat * 1000, expiresAt: t.exp * 1000 });
      this.repo.noteSigned(issued.kid, t.exp * 1000);
    }
    this.repo.purge(now - 86_400_000);
  }

  /**
   * Signs the tokens first (jose is async and a transaction may not await), then records them and the signing
   * key's latest expiry in one transaction. The tokens carry the subject's revocation mark, checked again in that
   * transaction: a token is issued before a `revoke --sub` exactly when its ledger entry committed before it.
   * Audit point: `jwt.issue` (jti, sub, kid, expiries — never a token).
   */
  async issue(spec: IssueSpec, now: number): Promise<Issued> {
    const signer = this.signer();
    const sub = spec.claims.sub;
    for (let attempt = 1; attempt <= SIGN_ATTEMPTS; attempt++) {
      const mark = this.repo.subjectMark(sub);
      const issued = await this.sign({ ...spec, claims: { ...spec.claims, sgen: mark } }, now, signer);
      const fam = issued.family ?? null;
      const recorded = this.db.transaction(() => {
        if (this.repo.subjectMark(sub) !== mark) return false;
        this.ledger(issued, sub, fam, now);
        this.record('jwt.issue', auditIssue(issued, sub, fam));
        return true;
      }).immediate();
      if (recorded) return issued;
    }
    throw revokedWhileSigning(sub);
  }

  /**
   * Exchanges a verified refresh token for a new pair. The check-and-mark is one transaction, so of two concurrent
   * uses exactly one wins; the loser (and any later replay) is reuse, which revokes the whole family. The same
   * transaction looks at the denylist again: a revocation that committed after the caller verified the refresh token
   * must not be outlived by a pair minted from it. The new pair carries the subject's current revocation mark.
   * Audit points: `jwt.refresh`, or `jwt.refresh-reuse` with the family.
   */
  async rotateRefresh(claims: Record<string, unknown>, spec: Omit<IssueSpec, 'claims'>, now: number): Promise<{ ok: true; issued: Issued } | { ok: false; reason: 'reused' | 'revoked' | 'unknown' }> {
    const jti = claims['jti'];
    if (typeof jti !== 'string') return { ok: false, reason: 'unknown' };
    const row = this.repo.token(jti);
    if (!row || row.kind !== 'refresh' || row.family === null) return { ok: false, reason: 'unknown' };
    const carried = carriedClaims(claims, row.sub, row.family);
    const threshold = subjectRevocationThreshold(claims);
    const family = row.family;
    const signer = this.signer();
    for (let attempt = 1; attempt <= SIGN_ATTEMPTS; attempt++) {
      const mark = this.repo.subjectMark(row.sub);
      const issued = await this.sign({ ...spec, claims: { ...carried, sgen: mark } }, now, signer);
      const result = this.db.transaction((): { ok: true; issued: Issued } | { ok: false; reason: 'reused' | 'revoked' } | null => {
        if (this.repo.isRevoked(jti, row.sub, threshold)) return { ok: false, reason: 'revoked' };
        if (this.repo.subjectMark(row.sub) !== mark) return null;
        const current = this.repo.token(jti);
        if (!current || current.usedAt !== null || !this.repo.markUsed(jti, now, issued.refresh?.jti ?? '')) {
          this.revokeFamily(family, now);
          this.record('jwt.refresh-reuse', { jti, family, sub: row.sub });
          return { ok: false, reason: 'reused' };
        }
        this.ledger(issued, row.sub, family, now);
        this.record('jwt.refresh', { ...auditIssue(issued, row.sub, family), from: jti });
        return { ok: true, issued };
      }).immediate();
      if (result) return result;
    }
    throw revokedWhileSigning(row.sub);
  }

  private revokeFamily(family: string, now: number): void {
    for (const t of this.repo.familyTokens(family)) this.repo.revoke('jti', t.jti, now, t.expiresAt);
  }

  /** Denies a jti or every token of a subject issued so far, until such tokens would have expired. Audit point: `jwt.revoke`. */
  revoke(kind: 'jti' | 'sub', value: string, now: number): { until: number } {
    return this.db.transaction(() => {
      const known = kind === 'jti' ? this.repo.token(value) : undefined;
      // A known token stays denied until its own exp; otherwise until the latest exp any key ever signed.
      const until = Math.max(now, known?.expiresAt ?? this.repo.latestExpiry() ?? now) + 60_000;
      this.repo.revoke(kind, value, now, until);
      if (known?.kind === 'refresh' && known.family !== null) this.revokeFamily(known.family, now);
      this.record('jwt.revoke', { kind, value, until });
      return { until };
    }).immediate();
  }
}

function auditIssue(issued: Issued, sub: string, fam: string | null): Record<string, import('../core/audit/entry.js').JsonValue> {
  return {
    sub,
    kid: issued.kid,
    jti: issued.access.jti,
    exp: issued.access.exp,
    ...(issued.refresh ? { refreshJti: issued.refresh.jti, refreshExp: issued.refresh.exp, family: fam } : {}),
  };
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

export type { TokenKind };
