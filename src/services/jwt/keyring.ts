/** The JWT keyring: signing keys (generated or imported), their retirement, the verification ring and the JWKS. */
import { open, seal, type RandomSource } from '../../core/crypto/seal.js';
import { usageError } from '../../core/errors.js';
import { DEFAULT_CLOCK_TOLERANCE_S, keyStatus, type JwtAlg, type KeyStatus } from '../../core/jwt/algs.js';
import { makeKeyMaterial, publicKeyFrom, signingKeyFrom, type PublicJwk } from '../../core/jwt/key-material.js';
import type { SigningKey } from '../../core/jwt/sign.js';
import type { ExternalIssuer, VerifyKey, VerifyKeyring } from '../../core/jwt/verify.js';
import type { JwtKeyRow } from '../../store/jwt.js';
import type { Store } from '../../store/store.js';
import type { AuditSink } from '../audit-sink.js';

/**
 * What the JWT operations need. `sealKey` is the master-key subkey for `agentsec.jwt.keys.v1`, needed only to store
 * or use a private key (to sign, and to verify HS256); null when opened without it. Times are passed to each
 * operation, which answers for that instant (the CLI's clock, the library's `now` option).
 */
export interface JwtDeps {
  readonly store: Store;
  readonly audit: AuditSink;
  readonly random: RandomSource;
  readonly sealKey: Buffer | null;
}

export interface KeyView {
  readonly kid: string;
  readonly alg: JwtAlg;
  readonly createdAt: string;
  readonly retiredAt: string | null;
  readonly status: KeyStatus;
  readonly verifiesUntil: string | null;
  /** The external issuer the key belongs to (`jwt keygen --external`, `jwt trust`); null for agentsec's own. */
  readonly issuer: string | null;
}

/**
 * How long after its `lastExp` a key still verifies. agentsec's own keys allow the clock tolerance a verifier grants
 * to their last token; an external key's `lastExp` is the end of a rotation's grace, which ends when it says.
 */
export function keyTolerance(k: Pick<JwtKeyRow, 'issuerName'>): number | undefined {
  return k.issuerName === null ? undefined : 0;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A key as `jwt keys` shows it: dates, status at `now` and, once it stops signing, until when it verifies. */
export function keyView(k: JwtKeyRow, now: number): KeyView {
  const status = keyStatus(k, now, keyTolerance(k));
  return { kid: k.kid, alg: k.alg, createdAt: iso(k.createdAt) as string, retiredAt: iso(k.retiredAt), status, verifiesUntil: status === 'active' ? null : iso(k.lastExp), issuer: k.issuerName };
}

function unseal(d: Pick<JwtDeps, 'sealKey'>, k: JwtKeyRow): Buffer {
  if (!d.sealKey) throw usageError('the master key is needed for this operation');
  return open(d.sealKey, k.privateSealed, k.kid);
}

/** Every key, oldest first (never key material in what callers print: see {@link keyView}). */
export function listKeys(d: Pick<JwtDeps, 'store'>): Promise<JwtKeyRow[]> {
  return d.store.jwt.keys();
}

/**
 * Generates (or imports, for HS256) a key; it becomes the signing key. The key is made and sealed before the
 * transaction (RSA generation takes a while). Audit point: `jwt.keygen` (kid, alg, imported).
 */
export async function keygen(d: JwtDeps, alg: JwtAlg, now: number, importedSecret?: Buffer, external?: ExternalSpec): Promise<JwtKeyRow> {
  if (!d.sealKey) throw usageError('the master key is needed to store a signing key');
  if (external && (alg !== 'HS256' || importedSecret === undefined)) throw usageError('--external needs --alg HS256 and --secret-file: the secret the other server signs with');
  const m = await makeKeyMaterial(alg, { random: d.random, importedSecret });
  const sealed = seal(d.sealKey, m.secret, m.kid, d.random);
  m.secret.fill(0);
  return d.store.transaction(async (tx) => {
    if (await tx.jwt.key(m.kid)) throw usageError(`a key with kid ${m.kid} already exists`);
    if (external) {
      if (await tx.jwt.issuer(external.name)) throw usageError(`an external issuer named '${external.name}' exists: rotate its secret with agentsec secret rotate --jwt-key ${external.name}, or remove it with agentsec jwt trust remove ${external.name}`);
      await tx.jwt.putIssuer({ name: external.name, kind: 'secret', issuer: external.issuer ?? null, audience: external.audience ?? null, createdAt: now, updatedAt: now });
    }
    await tx.jwt.insertKey({ kid: m.kid, alg, createdAt: now, publicJwk: m.publicJwk, privateSealed: sealed, issuerName: external?.name ?? null });
    await d.audit(tx, 'jwt.keygen', { kid: m.kid, alg, imported: importedSecret !== undefined, ...(external ? { external: external.name } : {}) });
    return (await tx.jwt.key(m.kid)) as JwtKeyRow;
  });
}

/** An external issuer's name and what its tokens must carry. */
export interface ExternalSpec {
  readonly name: string;
  readonly issuer?: string | undefined;
  readonly audience?: readonly string[] | undefined;
}

/** Stops a key signing; it verifies until its last token expires. Audit point: `jwt.retire` (only when it changed). */
export function retireKey(d: JwtDeps, kid: string, now: number): Promise<{ key: JwtKeyRow; changed: boolean }> {
  return d.store.transaction(async (tx) => {
    const k = await tx.jwt.key(kid);
    if (!k) throw usageError(`no JWT key with kid '${kid.slice(0, 80)}': see agentsec jwt keys`);
    if (k.issuerName !== null) throw usageError(`key ${kid.slice(0, 80)} belongs to the external issuer '${k.issuerName}': use agentsec secret rotate --jwt-key or agentsec jwt trust`);
    const changed = await tx.jwt.retire(kid, now);
    if (changed) await d.audit(tx, 'jwt.retire', { kid });
    return { key: (await tx.jwt.key(kid)) as JwtKeyRow, changed };
  });
}

/**
 * Active and retiring keys at `now`, as verification keys: agentsec's own in `keys`, those of external issuers
 * (with what their tokens must carry) in `external`.
 */
export async function verifyRing(d: Pick<JwtDeps, 'store' | 'sealKey'>, now: number): Promise<VerifyKeyring> {
  const keys: VerifyKey[] = [];
  const external: VerifyKey[] = [];
  const rows = await d.store.jwt.keys();
  const issuers = new Map<string, ExternalIssuer>();
  if (rows.some((k) => k.issuerName !== null)) {
    for (const i of await d.store.jwt.issuers()) {
      issuers.set(i.name, { name: i.name, kind: i.kind, ...(i.issuer !== null ? { issuer: i.issuer } : {}), ...(i.audience !== null ? { audience: i.audience } : {}) });
    }
  }
  for (const k of rows) {
    const tol = keyTolerance(k);
    const status = keyStatus(k, now, tol);
    if (status === 'retired') continue;
    // The HMAC key as bytes: createHmac with a Buffer key was measured faster than with a secret KeyObject (the
    // public keys are KeyObjects, imported once per ring).
    const key = k.alg === 'HS256' ? unseal(d, k) : publicKeyFrom(k.publicJwk as PublicJwk);
    const verifiesUntil = status === 'retiring' && k.lastExp !== null ? k.lastExp + (tol ?? DEFAULT_CLOCK_TOLERANCE_S * 1000) : undefined;
    if (k.issuerName === null) {
      keys.push({ kid: k.kid, alg: k.alg, key, verifiesUntil });
      continue;
    }
    const issuer = issuers.get(k.issuerName);
    // A key whose issuer is gone cannot say what its tokens must carry: it does not verify.
    if (issuer) external.push({ kid: k.kid, alg: k.alg, key, external: issuer, verifiesUntil });
  }
  return { keys, external };
}

/** The JWKS at `now`: public halves of active and retiring asymmetric keys (never an HMAC secret). */
export async function jwks(d: Pick<JwtDeps, 'store'>, now: number): Promise<{ keys: PublicJwk[] }> {
  const all = await d.store.jwt.keys();
  // An IdP's keys are trusted here, not ours to publish.
  return { keys: all.filter((k) => k.issuerName === null && k.publicJwk !== null && keyStatus(k, now) !== 'retired').map((k) => k.publicJwk as PublicJwk) };
}

/** The newest active key, ready to sign. */
export async function signer(d: Pick<JwtDeps, 'store' | 'sealKey'>): Promise<SigningKey> {
  // An external key verifies another issuer's tokens; signing with it would let agentsec mint tokens in its name.
  const active = (await d.store.jwt.keys()).filter((k) => k.retiredAt === null && k.issuerName === null);
  const k = active[active.length - 1];
  if (!k) throw usageError('no active JWT signing key: run agentsec jwt keygen');
  return { kid: k.kid, alg: k.alg, key: signingKeyFrom(k.alg, unseal(d, k)) };
}
