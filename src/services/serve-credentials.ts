/**
 * The credentials of `agentsec serve`'s app API (app tokens) and decision API (bouncer keys): create, list, revoke or
 * delete, and authenticate. Stored only as HMAC-SHA256 under a master-key subkey, like API keys; every create,
 * revoke and delete appends its audit entry in the same transaction. Called by the `serve token`/`serve bouncer`
 * commands and the server alike; never prints.
 */
import { timingSafeEqual, createHmac } from 'node:crypto';
import { randomBase62 } from '../core/apikeys/format.js';
import { deriveSubkey, type RandomSource } from '../core/crypto/seal.js';
import { usageError } from '../core/errors.js';
import { credentialNameProblem, generateCredential, isAppScope, looksLikeCredential, SERVE_CREDENTIALS_HMAC_PURPOSE, APP_SCOPES } from '../core/serve/credentials.js';
import type { CredentialKind, CredentialRecord } from '../store/serve-credentials.js';
import type { Store } from '../store/store.js';
import type { AuditSink } from './audit-sink.js';
import type { Runtime } from './runtime.js';

export interface CredentialsDeps {
  readonly store: Store;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** The master key's serve-credentials subkey. */
  readonly hmacKey: Buffer;
}

export interface CredentialsService extends CredentialsDeps {
  /** Forgets the subkey and closes the store. */
  close(): Promise<void>;
}

/** The deps on a store the caller holds open (the server); the caller forgets `hmacKey` when done. */
export async function credentialsOn(rt: Runtime, store: Store): Promise<CredentialsDeps> {
  const master = await rt.masterKey();
  const hmacKey = deriveSubkey(master, SERVE_CREDENTIALS_HMAC_PURPOSE);
  master.fill(0);
  const { auditSink } = await import('./audit.js');
  return { store, audit: await auditSink(rt, store), clock: rt.clock, random: rt.random, hmacKey };
}

/** Opens the store and derives the subkey; the caller closes it in `finally`. */
export async function openCredentials(rt: Runtime): Promise<CredentialsService> {
  const store = await rt.store();
  try {
    const d = await credentialsOn(rt, store);
    return { ...d, close: async () => { d.hmacKey.fill(0); await store.close(); } };
  } catch (err) {
    await store.close();
    throw err;
  }
}

function hmacOf(d: Pick<CredentialsDeps, 'hmacKey'>, secret: string): Buffer {
  return createHmac('sha256', d.hmacKey).update(secret, 'utf8').digest();
}

const NOUN: Record<CredentialKind, string> = { app: 'app token', bouncer: 'bouncer' };
const LIST_HINT: Record<CredentialKind, string> = { app: 'agentsec serve token list --all', bouncer: 'agentsec serve bouncer list' };

export interface CreatedCredential {
  /** The plaintext secret: returned once, to be printed once, never stored. */
  readonly secret: string;
  readonly record: CredentialRecord;
}

/** Checks and normalises app token scopes (deduplicated, in the documented order); a usage error names the bad one. */
export function checkScopes(scopes: readonly string[]): string[] {
  if (scopes.length === 0) throw usageError(`--scope: give at least one of ${APP_SCOPES.join(', ')}`);
  for (const s of scopes) if (!isAppScope(s)) throw usageError(`--scope: unknown scope '${s.slice(0, 64)}': use one of ${APP_SCOPES.join(', ')}`);
  return APP_SCOPES.filter((s) => scopes.includes(s));
}

/**
 * Creates an app token (with `scopes`) or a bouncer key named `name`. Audit point: `serve.token.create` or
 * `serve.bouncer.add` (id, name, scopes — never the secret), in the same transaction as the insert.
 */
export async function createCredential(d: CredentialsDeps, kind: CredentialKind, name: string, scopes: readonly string[] = []): Promise<CreatedCredential> {
  const problem = credentialNameProblem(name);
  if (problem) throw usageError(`invalid ${NOUN[kind]} name '${name.slice(0, 64)}': ${problem}`);
  const checked = kind === 'app' ? checkScopes(scopes) : [];
  const secret = generateCredential(kind, d.random);
  const record: CredentialRecord = { id: `crd_${randomBase62(16, d.random)}`, kind, name, last4: secret.slice(-4), scopes: checked, createdAt: d.clock().getTime(), revokedAt: null, lastUsedAt: null };
  await d.store.transaction(async (tx) => {
    if (await tx.serveCredentials.byName(kind, name)) throw usageError(`a ${NOUN[kind]} named '${name}' exists: pick another name (see ${LIST_HINT[kind]})`);
    await tx.serveCredentials.insert(record, hmacOf(d, secret));
    await d.audit(tx, kind === 'app' ? 'serve.token.create' : 'serve.bouncer.add', kind === 'app' ? { id: record.id, name, scopes: [...checked] } : { id: record.id, name });
  });
  return { secret, record };
}

/** Credentials of `kind`: unrevoked ones, or every one with `all`. Oldest first. */
export function listCredentials(d: Pick<CredentialsDeps, 'store'>, kind: CredentialKind, opts: { all: boolean }): Promise<CredentialRecord[]> {
  return d.store.serveCredentials.list(kind, opts);
}

/**
 * Revokes the app token named `name` (it stays listed with `--all`). `changed` is false when it already was.
 * Audit point: `serve.token.revoke` (id, name), only when it changed.
 */
export async function revokeToken(d: CredentialsDeps, name: string): Promise<{ record: CredentialRecord; changed: boolean }> {
  return d.store.transaction(async (tx) => {
    const r = await tx.serveCredentials.byName('app', name);
    if (!r) throw usageError(`no app token named '${name.slice(0, 64)}': see ${LIST_HINT.app}`);
    const at = d.clock().getTime();
    const changed = await tx.serveCredentials.revoke(r.id, at);
    if (changed) await d.audit(tx, 'serve.token.revoke', { id: r.id, name });
    return { record: changed ? { ...r, revokedAt: at } : r, changed };
  });
}

/** Deletes the bouncer named `name` and its pull state. Audit point: `serve.bouncer.delete` (id, name). */
export async function deleteBouncer(d: CredentialsDeps, name: string): Promise<CredentialRecord> {
  return d.store.transaction(async (tx) => {
    const r = await tx.serveCredentials.byName('bouncer', name);
    if (!r) throw usageError(`no bouncer named '${name.slice(0, 64)}': see ${LIST_HINT.bouncer}`);
    await tx.serveCredentials.delete(r.id);
    await d.audit(tx, 'serve.bouncer.delete', { id: r.id, name });
    return r;
  });
}

/** Last-used is a hint: written at most once a minute per credential, so polling bouncers cost no write per poll. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The unrevoked credential of `kind` whose secret is `secret`, or undefined. Text without the kind's shape and
 * checksum is refused without a query; the stored HMAC is compared in constant time.
 */
export async function authenticate(d: Pick<CredentialsDeps, 'store' | 'hmacKey' | 'clock'>, kind: CredentialKind, secret: string): Promise<CredentialRecord | undefined> {
  if (!looksLikeCredential(kind, secret)) return undefined;
  const mac = hmacOf(d, secret);
  const found = await d.store.serveCredentials.findByHmac(mac);
  if (!found || found.hmac.length !== mac.length || !timingSafeEqual(found.hmac, mac)) return undefined;
  const r = found.record;
  if (r.kind !== kind || r.revokedAt !== null) return undefined;
  const now = d.clock().getTime();
  if (r.lastUsedAt === null || now - r.lastUsedAt >= TOUCH_EVERY_MS) await d.store.serveCredentials.touchLastUsed(r.id, now);
  return r;
}
