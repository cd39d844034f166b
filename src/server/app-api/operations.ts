/**
 * The operations of the app API, each a strict zod schema for its request and a call to the same service the CLI
 * command calls, answered with the fields of that command's `--json`. The server's deps are built once (subkeys
 * derived at start, forgotten at close) on the server's store.
 */
import { z } from 'zod';
import { APIKEYS_HMAC_PURPOSE, type VerifyResult } from '../../core/apikeys/verify.js';
import { SCOPE_PATTERN } from '../../core/apikeys/permissions.js';
import { blockView } from '../../core/blocks/block.js';
import { FAILURE_KINDS } from '../../core/blocks/policy.js';
import { validateEventType, type JsonValue } from '../../core/audit/entry.js';
import { deriveSubkey } from '../../core/crypto/seal.js';
import { JWT_KEYS_PURPOSE } from '../../core/jwt/key-material.js';
import type { VerifyKeyring } from '../../core/jwt/verify.js';
import { formatIp, parseIp, type IpAddress } from '../../core/net/index.js';
import type { AppScope } from '../../core/serve/credentials.js';
import { MAX_WINDOW, USER_NAME_PATTERN, DEFAULT_WINDOW } from '../../core/totp/params.js';
import { openAuditLog, auditSink, type AuditLog } from '../../services/audit.js';
import { authFailureFeed, type AuthFailureFeed } from '../../services/auth-failures.js';
import { blocksOn, coveringBlock, recordFailure, recordFailureIn, type BlocksDeps } from '../../services/blocks.js';
import { checkToken, jwtSettings, verifyRing, type JwtDeps, type JwtSettings } from '../../services/jwt.js';
import { verifyStoredKey, type KeysDeps } from '../../services/keys.js';
import { rolesOf } from '../../services/roles.js';
import type { Runtime } from '../../services/runtime.js';
import { lockoutPolicy, TOTP_SEED_PURPOSE, verifyUserCode, type TotpDeps } from '../../services/totp.js';
import type { Store } from '../../store/store.js';

/** What every operation runs on. */
export interface AppApiDeps {
  readonly keys: KeysDeps;
  readonly jwt: JwtDeps;
  /** The parts read from config.yaml: replaced whole by {@link reloadPolicies}. */
  jwtSettings: JwtSettings;
  totp: TotpDeps;
  blocks: BlocksDeps;
  readonly log: AuditLog;
  readonly totpFailures: AuthFailureFeed;
  /** The JWT keyring, rebuilt when the store moves (a keygen or a retirement by the CLI). */
  ring?: { readonly version: number; readonly at: number; readonly ring: VerifyKeyring };
  /** Forgets the subkeys. */
  forget(): void;
}

/** Builds the deps on the server's store: one master-key read, three subkeys. */
export async function appApiDeps(rt: Runtime, store: Store): Promise<AppApiDeps> {
  const master = await rt.masterKey();
  const hmacKey = deriveSubkey(master, APIKEYS_HMAC_PURPOSE);
  const seedKey = deriveSubkey(master, TOTP_SEED_PURPOSE);
  const sealKey = deriveSubkey(master, JWT_KEYS_PURPOSE);
  master.fill(0);
  const audit = await auditSink(rt, store);
  // The role table of this config, as the CLI and /auth resolve it: a key's stored role means what config.yaml says now.
  const roles = rolesOf(await rt.config());
  return {
    keys: { store, audit, clock: rt.clock, random: rt.random, hmacKey, roles },
    jwt: { store, audit, random: rt.random, sealKey },
    jwtSettings: await jwtSettings(rt),
    totp: { store, audit, clock: rt.clock, random: rt.random, seedKey, policy: await lockoutPolicy(rt) },
    blocks: await blocksOn(rt, store),
    log: await openAuditLog(rt, store),
    totpFailures: await authFailureFeed(rt, store, 'api:totp.verify'),
    forget() {
      for (const k of [hmacKey, seedKey, sealKey]) k.fill(0);
    },
  };
}

/**
 * Re-reads what the deps take from config.yaml (the blocks policy and allowlist, the TOTP lockout policy, the JWT
 * issuer and audiences), replacing them only once all of it has been read: a config that fails to load leaves the
 * running policies whole, and the error passes on.
 */
export async function reloadPolicies(d: AppApiDeps, rt: Runtime): Promise<void> {
  const [jwt, lockout, blocks] = await Promise.all([jwtSettings(rt), lockoutPolicy(rt), blocksOn(rt, d.blocks.store)]);
  d.jwtSettings = jwt;
  d.totp = { ...d.totp, policy: lockout };
  d.blocks = blocks;
}

/** A request the service refused as bad input (the CLI's exit 2): answered 400 with its one-line message. */
export class InputError extends Error {}

/** Who is calling, for the audit actor and the failure sources. */
export interface Caller {
  readonly tokenName: string;
}

export interface Operation {
  readonly scope: AppScope;
  readonly schema: z.ZodType;
  run(d: AppApiDeps, input: never, caller: Caller): Promise<Record<string, unknown>>;
}

const ip = z.string().max(64).transform((text, ctx): IpAddress => {
  const parsed = parseIp(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'not an IPv4 or IPv6 address' });
    return z.NEVER;
  }
  return parsed;
});
const scopes = z.array(z.string().regex(SCOPE_PATTERN, 'not resource:action')).max(64);
// Longer than any credential agentsec issues, short enough that no caller makes the server hash megabytes.
const secret = (max: number) => z.string().min(1).max(max);

const keysVerify = z.strictObject({ key: secret(256), ip: ip.optional(), scopes: scopes.optional() });
const jwtVerify = z.strictObject({
  token: secret(8192),
  kind: z.enum(['access', 'refresh']).optional(),
  issuer: z.string().min(1).max(256).optional(),
  audience: z.array(z.string().min(1).max(256)).max(16).optional(),
  scopes: scopes.optional(),
  maxAgeSeconds: z.number().int().positive().max(10 * 365 * 86_400).optional(),
});
const totpVerify = z.strictObject({ user: z.string().regex(USER_NAME_PATTERN, 'not a TOTP user name'), code: secret(64), ip: ip.optional(), window: z.number().int().min(0).max(MAX_WINDOW).optional() });
const blocksRecord = z.strictObject({ ip, kind: z.enum(FAILURE_KINDS).optional(), reason: z.string().max(500).regex(/^[^\u0000-\u001f\u007f]*$/, 'one printable line').optional() });
const blocksCheck = z.strictObject({ ip });
const jsonObject = z.record(z.string(), z.json());
const auditAppend = z.strictObject({ type: z.string().max(64), actor: z.json().optional(), data: jsonObject.optional() });

/** INSUFFICIENT_SCOPE is a valid key asking for too much, not a failed authentication: it is not counted (as the CLI). */
function countedKeyFailure(r: VerifyResult): boolean {
  return !r.valid && r.code !== 'INSUFFICIENT_SCOPE';
}

const RING_MAX_AGE_MS = 60_000;

async function ringOf(d: AppApiDeps, now: number): Promise<VerifyKeyring> {
  const version = d.jwt.store.changes.version();
  if (d.ring && d.ring.version === version && Math.abs(now - d.ring.at) < RING_MAX_AGE_MS) return d.ring.ring;
  const ring = await verifyRing(d.jwt, now);
  d.ring = { version, at: now, ring };
  return ring;
}

/** The operations by path under /api/v1/. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'keys/verify': {
    scope: 'keys:verify',
    schema: keysVerify,
    async run(d, input: z.infer<typeof keysVerify>) {
      const result = await verifyStoredKey(d.keys, input.key, { ip: input.ip, scopes: input.scopes, now: d.keys.clock().getTime(), roles: d.keys.roles?.table });
      if (!input.ip || !countedKeyFailure(result)) return { ...result };
      const client = input.ip;
      const blocks = await d.blocks.store.transaction((tx) => recordFailureIn(d.blocks, tx, client, 'auth', { at: d.blocks.clock().getTime(), source: 'api:keys.verify', reason: `api key ${result.code}` }));
      return { ...result, blocks };
    },
  },
  'jwt/verify': {
    scope: 'jwt:verify',
    schema: jwtVerify,
    async run(d, input: z.infer<typeof jwtVerify>) {
      const now = d.keys.clock().getTime();
      const v = await checkToken(d.jwt, input.token, await ringOf(d, now), {
        now,
        kind: input.kind ?? 'access',
        issuer: input.issuer ?? d.jwtSettings.issuer,
        audience: input.audience ?? d.jwtSettings.audience,
        clockToleranceS: d.jwtSettings.clockToleranceS,
        maxAgeS: input.maxAgeSeconds,
        scopes: input.scopes,
      });
      return { valid: v.valid, ...(v.reason ? { reason: v.reason } : {}), ...(v.kid ? { kid: v.kid } : {}), ...(v.valid ? { header: v.header, claims: v.claims } : {}), ...(v.missingScopes ? { missingScopes: v.missingScopes } : {}) };
    },
  },
  'totp/verify': {
    scope: 'totp:verify',
    schema: totpVerify,
    async run(d, input: z.infer<typeof totpVerify>) {
      const client = input.ip ? formatIp(input.ip) : null;
      const verdict = await verifyUserCode(d.totp, input.user, input.code, { window: input.window ?? DEFAULT_WINDOW, ip: client, failureFeed: client ? d.totpFailures : undefined });
      return { ...verdict };
    },
  },
  'blocks/record': {
    scope: 'blocks:record',
    schema: blocksRecord,
    async run(d, input: z.infer<typeof blocksRecord>, caller) {
      const r = (await recordFailure(d.blocks, input.ip, input.kind ?? 'auth', { source: `api:${caller.tokenName}`, reason: input.reason ?? null })).failure;
      const doc: Record<string, unknown> = { ...r };
      if ('block' in r) doc['block'] = blockView(r.block, d.blocks.clock().getTime());
      return doc;
    },
  },
  'blocks/check': {
    scope: 'blocks:check',
    schema: blocksCheck,
    async run(d, input: z.infer<typeof blocksCheck>) {
      const now = d.blocks.clock().getTime();
      const block = await coveringBlock(d.blocks, input.ip, now);
      return { ip: formatIp(input.ip), blocked: block !== undefined, block: block ? blockView(block, now) : null };
    },
  },
  'audit/append': {
    scope: 'audit:append',
    schema: auditAppend,
    async run(d, input: z.infer<typeof auditAppend>, caller) {
      try {
        validateEventType(input.type);
      } catch (err) {
        throw new InputError(`type: ${(err as Error).message}`);
      }
      // The token is the actor: an app names whom it acts for, never whom it is.
      const actor: JsonValue = input.actor === undefined ? { app: caller.tokenName } : { app: caller.tokenName, for: input.actor as JsonValue };
      const written = await d.log.append([{ type: input.type, actor, ...(input.data ? { data: input.data as { [k: string]: JsonValue } } : {}) }]);
      return { appended: written.length, entries: written.map((w) => ({ seq: w.entry.seq, hash: w.hash, type: w.entry.type })) };
    },
  },
};

/** The first problem of a failed parse, one line, naming the field (never echoing its value: it may be a secret). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'body';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown field ${issue.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}`;
  return `${path}: ${issue.message}`;
}
