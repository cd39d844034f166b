import { z } from 'zod';

/** A duration written in config.yaml (`15m`, `24h`); checked here, parsed by the area that uses it. */
export const durationText = z.string().regex(/^(\d+(ms|s|m|h|d|w))+$/, 'expected a duration such as 15m, 24h, 30d');

/**
 * config.yaml in the home. Each area adds its own section when it lands; unknown keys are refused so a typo
 * never silently leaves a default in force.
 */
export const configSchema = z
  .object({
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
        'max-failures': z.number().int().min(1).max(1_000_000).optional(),
        'find-time': durationText.optional(),
        'block-duration': durationText.optional(),
        'max-duration': durationText.optional(),
        /** IPs and CIDRs never blocked (default: loopback). */
        allowlist: z.array(z.string().max(64)).max(10_000).optional(),
        /** Count and block IPv6 failures per network of this many bits (64 is a typical customer); 128 per address. */
        'ipv6-prefix': z.number().int().min(16).max(128).optional(),
        nginx: z
          .object({
            'auth-statuses': z.array(z.number().int().min(100).max(599)).optional(),
            'ratelimit-statuses': z.array(z.number().int().min(100).max(599)).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
