/**
 * External token issuers: an IdP whose published keys are trusted from a JWKS file (`jwt trust`), another server
 * sharing an HS256 secret (`jwt keygen --external`, rolled by `secret rotate --jwt-key`), their listing and removal.
 */
import { seal } from '../../core/crypto/seal.js';
import { usageError } from '../../core/errors.js';
import { keyStatus } from '../../core/jwt/algs.js';
import type { ParsedJwks } from '../../core/jwt/jwks-trust.js';
import { makeKeyMaterial } from '../../core/jwt/key-material.js';
import type { JwtIssuerRow } from '../../store/jwt.js';
import type { Tx } from '../../store/store.js';
import type { AuditSink } from '../audit-sink.js';
import { keyTolerance, type JwtDeps } from './keyring.js';

/** A name for an issuer: what `jwt trust remove` and `secret rotate --jwt-key` take. */
export const ISSUER_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function checkIssuerName(name: string, flag: string): string {
  if (!ISSUER_NAME.test(name)) throw usageError(`${flag}: '${name.slice(0, 64)}' is not a name: use letters, digits, '.', '_', ':' and '-' (at most 128)`);
  return name;
}

/** The default name of a trusted IdP: its issuer URL's host and path (`kc.example.com-realms-agents`). */
export function defaultIssuerName(issuerUrl: string): string {
  const u = new URL(issuerUrl);
  return `${u.host}${u.pathname}`.replace(/\/+$/, '').replace(/[^A-Za-z0-9._:-]+/g, '-').slice(0, 128);
}

export interface IssuerView {
  readonly name: string;
  readonly kind: 'secret' | 'jwks';
  readonly issuer: string | null;
  readonly audience: readonly string[] | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The issuer's keys that verify at `now` (kid and alg; an HS256 secret's kid is agentsec's own label). */
  readonly keys: readonly { readonly kid: string; readonly alg: string; readonly status: string }[];
}

/** Every external issuer with its keys (never key material). */
export async function listIssuers(d: Pick<JwtDeps, 'store'>, now: number): Promise<IssuerView[]> {
  const keys = await d.store.jwt.keys();
  return (await d.store.jwt.issuers()).map((i) => ({
    name: i.name,
    kind: i.kind,
    issuer: i.issuer,
    audience: i.audience,
    createdAt: new Date(i.createdAt).toISOString(),
    updatedAt: new Date(i.updatedAt).toISOString(),
    keys: keys.filter((k) => k.issuerName === i.name).map((k) => ({ kid: k.kid, alg: k.alg, status: keyStatus(k, now, keyTolerance(k)) })).filter((k) => k.status !== 'retired'),
  }));
}

export interface TrustOutcome {
  readonly name: string;
  readonly added: string[];
  readonly removed: string[];
  readonly kept: string[];
  readonly skipped: ParsedJwks['skipped'];
}

/**
 * Trusts an IdP's keys, or refreshes them from a newer copy of its JWKS: keys no longer published stop verifying at
 * once (the IdP withdrew them), new ones start. A kid that is already one of agentsec's own keys or another
 * issuer's is refused: a kid must name one key. Audit point: `jwt.trust` (name, issuer, audience, kids).
 */
export function trustJwks(d: Pick<JwtDeps, 'store' | 'audit'>, spec: { name: string; issuer: string; audience: readonly string[]; jwks: ParsedJwks }, now: number): Promise<TrustOutcome> {
  return d.store.transaction(async (tx) => {
    const existing = await tx.jwt.issuer(spec.name);
    if (existing && existing.kind !== 'jwks') throw usageError(`'${spec.name}' is an external HS256 issuer, not a JWKS: pick another --name`);
    const all = await tx.jwt.keys();
    const mine = new Map(all.filter((k) => k.issuerName === spec.name).map((k) => [k.kid, k]));
    for (const k of spec.jwks.keys) {
      const clash = all.find((o) => o.kid === k.kid && o.issuerName !== spec.name);
      if (clash) throw usageError(`kid '${k.kid.slice(0, 80)}' is already ${clash.issuerName === null ? "one of agentsec's own keys" : `a key of '${clash.issuerName}'`}: a kid must name one key`);
    }
    const row: JwtIssuerRow = { name: spec.name, kind: 'jwks', issuer: spec.issuer, audience: [...spec.audience], createdAt: existing?.createdAt ?? now, updatedAt: now };
    await tx.jwt.putIssuer(row);
    const added: string[] = [];
    const kept: string[] = [];
    const wanted = new Set(spec.jwks.keys.map((k) => k.kid));
    for (const k of spec.jwks.keys) {
      const had = mine.get(k.kid);
      if (had && JSON.stringify(had.publicJwk) === JSON.stringify(k.jwk) && had.alg === k.alg) {
        kept.push(k.kid);
        continue;
      }
      // The same kid with other key material is a new key: the old one must not verify under its name.
      if (had) await tx.jwt.deleteKey(k.kid);
      await tx.jwt.insertKey({ kid: k.kid, alg: k.alg, createdAt: now, publicJwk: k.jwk, privateSealed: Buffer.alloc(0), issuerName: spec.name });
      added.push(k.kid);
    }
    const removed: string[] = [];
    for (const kid of mine.keys()) if (!wanted.has(kid)) (await tx.jwt.deleteKey(kid), removed.push(kid));
    await d.audit(tx, 'jwt.trust', { name: spec.name, issuer: spec.issuer, audience: [...spec.audience], added, removed, kept });
    return { name: spec.name, added, removed, kept, skipped: spec.jwks.skipped };
  });
}

/** Stops trusting an issuer: its keys stop verifying at once. Audit point: `jwt.untrust`. */
export function removeIssuer(d: Pick<JwtDeps, 'store' | 'audit'>, name: string): Promise<{ removedKeys: number }> {
  return d.store.transaction(async (tx) => {
    if (!(await tx.jwt.issuer(name))) throw usageError(`no external issuer named '${name.slice(0, 80)}': see agentsec jwt trust list`);
    const n = (await tx.jwt.keys()).filter((k) => k.issuerName === name).length;
    await tx.jwt.deleteIssuer(name);
    await d.audit(tx, 'jwt.untrust', { name, keys: n });
    return { removedKeys: n };
  });
}

/** Checks, before a rotation touches anything, that `name` is an external HS256 issuer whose secret can be rolled. */
export async function externalSecretIssuer(d: Pick<JwtDeps, 'store'>, name: string): Promise<JwtIssuerRow> {
  const i = await d.store.jwt.issuer(name);
  if (!i) throw usageError(`--jwt-key: no external issuer named '${name.slice(0, 80)}': import the current secret first with agentsec jwt keygen --alg HS256 --secret-file F --external ${name.slice(0, 80)}`);
  if (i.kind !== 'secret') throw usageError(`--jwt-key: '${name.slice(0, 80)}' is a trusted JWKS, not a shared HS256 secret`);
  return i;
}

/**
 * Rolls an external HS256 issuer to a new secret inside the caller's transaction: the new secret's key is added,
 * and every key it had stops at `now + graceMs` (both values verify until then). Audit point: `jwt.keygen` with
 * `external` and `rotated` (the old kids and until when they verify).
 */
export async function rollExternalSecret(tx: Tx, d: Pick<JwtDeps, 'random' | 'sealKey'> & { audit: AuditSink }, name: string, secret: Buffer, now: number, graceMs: number): Promise<{ kid: string; retiring: string[]; until: number }> {
  if (!d.sealKey) throw usageError('the master key is needed to store a signing key');
  const m = await makeKeyMaterial('HS256', { random: d.random, importedSecret: secret });
  const sealed = seal(d.sealKey, m.secret, m.kid, d.random);
  m.secret.fill(0);
  if (!(await tx.jwt.issuer(name))) throw usageError(`--jwt-key: no external issuer named '${name.slice(0, 80)}'`);
  const until = now + graceMs;
  const retiring: string[] = [];
  for (const k of await tx.jwt.keys()) {
    // A key already retiring (from an earlier rotation) keeps the grace it was given.
    if (k.issuerName !== name || k.retiredAt !== null) continue;
    await tx.jwt.retire(k.kid, now);
    // lastExp of an external key is the end of its grace (see keyTolerance).
    await tx.jwt.noteSigned(k.kid, until);
    retiring.push(k.kid);
  }
  await tx.jwt.insertKey({ kid: m.kid, alg: 'HS256', createdAt: now, publicJwk: null, privateSealed: sealed, issuerName: name });
  await d.audit(tx, 'jwt.keygen', { kid: m.kid, alg: 'HS256', imported: true, external: name, rotated: retiring, retiringUntil: until });
  return { kid: m.kid, retiring, until };
}
