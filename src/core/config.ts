import { z } from 'zod';
import { serveSection } from './config/serve.js';
import { blocksIngestSchema, trustedProxiesSchema } from './config/blocks-ingest.js';
import { passwordsSection } from './config/passwords.js';
import { rolesSection } from './config/roles.js';
import { storeConfigSchema } from './config/store.js';

/** A duration written in config.yaml (`15m`, `24h`); checked here, parsed by the area that uses it. */
export const durationText = z.string().regex(/^(\d+(ms|s|m|h|d|w))+$/, 'expected a duration such as 15m, 24h, 30d');

/**
 * config.yaml in the home. Each area adds its own section when it lands; unknown keys are refused so a typo
 * never silently leaves a default in force.
 */
export const configSchema = z
  .object({
    store: storeConfigSchema.optional(),
    audit: z
      .object({
        /** Epoch length: how often the chain is sealed with a fresh key (default 15m). */
        epoch: durationText.optional(),
        /** Name of this log in checkpoints (default: the host name at init). */
        origin: z.string().regex(/^[A-Za-z0-9._:@/-]{1,128}$/, 'use letters, digits and . _ : @ / -').optional(),
      })
      .strict()
      .optional(),
    totp: z
      .object({
        /** Issuer shown in authenticator apps (default agentsec). */
        issuer: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._@+&()-]{0,63}$/, 'use letters, digits, spaces and . _ @ + & ( ) -').optional(),
        /** Failed verifications within `failureWindow` that lock a user (default 5). */
        maxFailures: z.number().int().min(1).max(1000).optional(),
        failureWindow: durationText.optional(),
        /** How long a lock lasts (default 15m). */
        lockout: durationText.optional(),
      })
      .strict()
      .optional(),
    jwt: z
      .object({
        /** `iss` set on issued tokens and required on verification when configured. */
        issuer: z.string().min(1).max(512).optional(),
        /** `aud` set on issued tokens and required on verification when configured (one or several). */
        audience: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).min(1)]).optional(),
        /** Access-token lifetime (default 15m). */
        accessTtl: durationText.optional(),
        /** Refresh-token lifetime (default 7d). */
        refreshTtl: durationText.optional(),
        /** Clock skew accepted on exp/nbf (default 30s). */
        clockTolerance: durationText.optional(),
      })
      .strict()
      .optional(),
    /** IP blocks: how failures turn into blocks (see `agentsec blocks policy`). */
    blocks: z
      .object({
        enabled: z.boolean().optional(),
        maxFailures: z.number().int().min(1).max(1_000_000).optional(),
        findTime: durationText.optional(),
        blockDuration: durationText.optional(),
        maxDuration: durationText.optional(),
        /** IPs and CIDRs never blocked (default: loopback). */
        allowlist: z.array(z.string().max(64)).max(10_000).optional(),
        /** Count and block IPv6 failures per network of this many bits (64 is a typical customer); 128 per address. */
        ipv6Prefix: z.number().int().min(16).max(128).optional(),
        nginx: z
          .object({
            authStatuses: z.array(z.number().int().min(100).max(599)).optional(),
            ratelimitStatuses: z.array(z.number().int().min(100).max(599)).optional(),
          })
          .strict()
          .optional(),
        trustedProxies: trustedProxiesSchema.optional(),
        ingest: blocksIngestSchema.optional(),
      })
      .strict()
      .optional(),
    serve: serveSection.optional(),
    /** Named roles for API keys (see docs/identity.md). */
    roles: rolesSection,
    /** The password policy (see docs/identity.md). */
    passwords: passwordsSection,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/**
 * Keys renamed when config.yaml settled on camelCase everywhere (`blocks:` used kebab-case while `totp:` and `jwt:`
 * used camelCase). The old spelling is still read, with a warning, for one release; both spellings of one key are
 * refused rather than one silently winning.
 */
export const DEPRECATED_KEYS: ReadonlyArray<{ readonly section: readonly string[]; readonly old: string; readonly now: string }> = [
  { section: ['blocks'], old: 'max-failures', now: 'maxFailures' },
  { section: ['blocks'], old: 'find-time', now: 'findTime' },
  { section: ['blocks'], old: 'block-duration', now: 'blockDuration' },
  { section: ['blocks'], old: 'max-duration', now: 'maxDuration' },
  { section: ['blocks'], old: 'ipv6-prefix', now: 'ipv6Prefix' },
  { section: ['blocks', 'nginx'], old: 'auth-statuses', now: 'authStatuses' },
  { section: ['blocks', 'nginx'], old: 'ratelimit-statuses', now: 'ratelimitStatuses' },
];

export interface RenamedKeys {
  /** The document with every deprecated key under its new name (a copy; the input is not changed). */
  readonly value: unknown;
  /** One message per deprecated key that was found. */
  readonly warnings: readonly string[];
  /** Set when a key is written both ways. */
  readonly conflict?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Renames deprecated config keys to their current spelling, before validation. Pure. */
export function renameDeprecatedKeys(doc: unknown): RenamedKeys {
  if (!isPlainObject(doc)) return { value: doc, warnings: [] };
  const root: Record<string, unknown> = { ...doc };
  const warnings: string[] = [];
  for (const d of DEPRECATED_KEYS) {
    let parent: Record<string, unknown> = root;
    let ok = true;
    for (const name of d.section) {
      const child = parent[name];
      if (!isPlainObject(child)) {
        ok = false;
        break;
      }
      // Copy each level on the way down, so the caller's document is never mutated.
      const copy = { ...child };
      parent[name] = copy;
      parent = copy;
    }
    if (!ok || !Object.hasOwn(parent, d.old)) continue;
    const where = d.section.join('.');
    if (Object.hasOwn(parent, d.now)) return { value: doc, warnings, conflict: `${where}.${d.old} and ${where}.${d.now} are the same setting: keep only ${d.now}` };
    parent[d.now] = parent[d.old];
    delete parent[d.old];
    warnings.push(`config ${where}.${d.old} is deprecated: write ${where}.${d.now} (the old spelling is read until the next release)`);
  }
  return { value: root, warnings };
}
