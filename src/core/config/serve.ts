/**
 * The `serve:` section of config.yaml: where `agentsec serve` listens, which proxies it believes, the route policy,
 * rate limits, limits on connections, and what it writes to the audit chain. Syntax is checked here, so a bad
 * section is refused at start and at reload with the key that is wrong; the server compiles it once more into its
 * policy (see src/core/serve/settings.ts).
 */
import { z } from 'zod';
import { parseCidr } from '../net/cidr.js';
import { parseRequirement, parseRoute } from '../serve/routes.js';
import { parseRate } from '../serve/rate-limit.js';

const durationText = z.string().regex(/^(\d+(ms|s|m|h|d|w))+$/, 'expected a duration such as 15m, 24h, 30d');
const cidrText = z.string().max(64).refine((t) => parseCidr(t).ok, 'expected an IP address or CIDR such as 10.0.0.0/8');
const routeText = z.string().max(1024).superRefine((t, ctx) => {
  const p = parseRoute(t);
  if (!p.ok) ctx.addIssue({ code: 'custom', message: p.message });
});

export const serveSection = z
  .object({
    /** Addresses to listen on, `ADDR:PORT` (`[::1]:8787` for IPv6); default 127.0.0.1:8787. Flags replace it. */
    listen: z.array(z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[0-9.]+|localhost):\d{1,5}$/, 'expected ADDR:PORT such as 127.0.0.1:8787')).max(16).optional(),
    /** A Unix socket path, mode 0600 (0660 with `socketGroup`). */
    socket: z.string().min(1).max(100).optional(),
    /** The group given read-write access to the socket (a name or a number). */
    socketGroup: z.string().regex(/^([a-z_][a-z0-9_-]{0,31}|\d{1,10})$/, 'expected a group name or number').optional(),
    /** Proxies whose X-Forwarded-For is believed, besides loopback (always trusted). */
    trustedProxies: z.array(cidrText).max(1000).optional(),
    /** Networks that may read /healthz and /metrics, besides loopback and the Unix socket. */
    metricsAllow: z.array(cidrText).max(1000).optional(),
    /** TLS for the TCP listeners (no proxy in front), TLS 1.3 minimum; the files are read again on SIGHUP. */
    tls: z.object({ cert: z.string().min(1).max(4096), key: z.string().min(1).max(4096) }).strict().optional(),
    /** Protection of the listener itself. */
    limits: z
      .object({
        /** Time allowed for a client to send its request headers (default 10s). */
        headersTimeout: durationText.optional(),
        /** Time allowed for the whole request (default 30s). */
        requestTimeout: durationText.optional(),
        /** Idle keep-alive connections are closed after this (default 65s, above nginx's and Traefik's 60s). */
        keepAliveTimeout: durationText.optional(),
        /** Largest request head in bytes (default 16384); larger gets 431. */
        maxHeaderSize: z.number().int().min(1024).max(1_048_576).optional(),
        /** Open connections per listener beyond which new ones are refused (default 20000). */
        maxConnections: z.number().int().min(1).max(1_000_000).optional(),
        /** Rate-limit buckets kept per limit, least recently used dropped first (default 100000). */
        maxBuckets: z.number().int().min(100).max(10_000_000).optional(),
      })
      .strict()
      .optional(),
    /**
     * Route policy, first match wins: `{ route: "POST /v1/memories/**", require: "memory:write" }`. `require` is a
     * permission, `authenticated` (any valid credential) or `public`. Unmatched routes need a valid credential.
     */
    routes: z
      .array(
        z
          .object({
            route: routeText,
            require: z.string().max(80).refine((t) => parseRequirement(t).ok, 'use public, authenticated or a permission resource:action'),
          })
          .strict(),
      )
      .max(10_000)
      .optional(),
    /** Rate limits; each applies to the requests its `route` matches (all without one), counted per `per`. */
    rateLimits: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'use lower-case letters, digits and -').optional(),
            route: routeText.optional(),
            per: z.enum(['ip', 'key', 'subject']),
            rate: z.string().refine((t) => parseRate(t) !== undefined, 'expected COUNT/UNIT such as 5/m, 100/s, 1000/h'),
            burst: z.number().int().min(1).max(1_000_000).optional(),
          })
          .strict(),
      )
      .max(100)
      .optional(),
    /** What decisions reach the audit chain (see docs/serve.md, "Audit"). */
    audit: z
      .object({
        /** Summary period: one `serve.decisions` entry with the counts per period (default 5m). */
        interval: durationText.optional(),
        /** Denials written one entry each per period, the rest only counted in the summary (default 100). */
        maxDenials: z.number().int().min(0).max(100_000).optional(),
        /** Also write one allowed decision in N as its own entry (default 0: none, only counts). */
        sampleAllowed: z.number().int().min(0).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ServeSection = z.infer<typeof serveSection>;
