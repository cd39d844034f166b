import { z } from 'zod';
import { LOG_FORMATS, PRESETS } from '../blocks/formats/names.js';

const fieldName = z.string().min(1).max(128);
const fieldList = z.union([fieldName, z.array(fieldName).min(1).max(16)]);
const eventList = z.array(z.string().min(1).max(256)).max(1000);

/**
 * `blocks.ingest`: how `blocks ingest` reads logs that are not nginx's (see docs/blocks-ingest.md). Every key is
 * optional; flags beat these. Field lists are candidates, the first present wins.
 */
export const blocksIngestSchema = z
  .object({
    /** The format of every ingested log (default auto: detected per file, refused when ambiguous). */
    format: z.enum(['auto', ...LOG_FORMATS]).optional(),
    /** The field and event map a JSON or logfmt log starts from. */
    preset: z.enum(PRESETS).optional(),
    /** The format of journald messages (default: detected). */
    messageFormat: z.enum(LOG_FORMATS).optional(),
    /** A fail2ban filter file (`filter.d/*.conf`) for `fail2ban-filter`. */
    filter: z.string().min(1).max(4096).optional(),
    fields: z
      .object({ ip: fieldList.optional(), time: fieldList.optional(), event: fieldList.optional(), status: fieldList.optional(), forwardedFor: fieldList.optional(), duration: fieldList.optional() })
      .strict()
      .optional(),
    /** Event values per meaning: exact, or `/pattern/` matched against the whole value. */
    events: z.object({ auth: eventList.optional(), ratelimit: eventList.optional(), decision: eventList.optional() }).strict().optional(),
    /** In a CLF line, which quoted field after the status holds $http_x_forwarded_for (0 referer, 1 user agent, 2 next). */
    forwardedField: z.number().int().min(0).max(16).optional(),
  })
  .strict();

/** `blocks.trustedProxies`: the proxies whose forwarded-for field ingest believes (IPs and CIDRs; default none). */
export const trustedProxiesSchema = z.array(z.string().min(1).max(64)).max(1000);
