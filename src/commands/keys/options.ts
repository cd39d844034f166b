import { parseDuration } from '../../core/duration.js';
import { usageError } from '../../core/errors.js';
import { nearestValues } from '../../core/suggest.js';
import { PREFIX_PATTERN } from '../../core/apikeys/format.js';
import { BUILTIN_ROLES, ROLE_PERMISSIONS, SCOPE_PATTERN, isRole, type RoleTable } from '../../core/apikeys/permissions.js';
import { badIpMessage, formatCidr, parseCidr, parseIp, type IpAddress } from '../../core/net/index.js';
import type { IssueInput } from '../../core/apikeys/record.js';

/** Commander collector for repeatable options (`--scope a --scope b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const DURATION = /^(\d+(ms|s|m|h|d|w))+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `--expires`: a duration from now (`90d`) or a date (`2027-01-31`, midnight UTC) or an ISO time with a zone.
 * Refuses a time that is not in the future: a key born expired is a mistake, not a feature.
 */
export function parseExpires(text: string, now: number): number {
  let at: number;
  if (DURATION.test(text)) {
    at = now + parseDuration(text, '--expires');
  } else {
    const m = DATE.exec(text);
    const parsed = m ? Date.parse(text) : NaN;
    // Date.parse rolls 2026-02-30 over to March; the round trip of the date part catches it.
    if (!m || Number.isNaN(parsed) || (m[4] === undefined && new Date(parsed).toISOString().slice(0, 10) !== text)) {
      throw usageError(`--expires: '${text}' is neither a duration (90d) nor a date (2027-01-31 or 2027-01-31T12:00:00Z)`);
    }
    at = parsed;
  }
  if (at <= now) throw usageError(`--expires: '${text}' is not in the future: give a later date or a duration such as 90d`);
  return at;
}

/** `--allow-ip`: each entry an address or CIDR, returned canonical and without duplicates. */
export function parseAllowIps(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const p = parseCidr(v);
    if (!p.ok) throw usageError(`--allow-ip: ${p.message}`);
    const c = formatCidr(p.cidr);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** `--ip` of verify. */
export function parseClientIp(text: string | undefined): IpAddress | undefined {
  if (text === undefined) return undefined;
  const ip = parseIp(text);
  if (!ip) throw usageError(`--ip: ${badIpMessage(text)}`);
  return ip;
}

export function parseScopes(values: readonly string[], flag = '--scope'): string[] {
  for (const s of values) {
    if (!SCOPE_PATTERN.test(s)) throw usageError(`${flag}: '${s.slice(0, 80)}' is not a permission: use resource:action or resource:action:target, e.g. memory:read, memory:* or memory:write:agent-x`);
  }
  return [...new Set(values)];
}

/** `--role`: a role of the table in force (the built-ins and config.yaml's `roles:`). */
export function parseRole(text: string | undefined, roles: RoleTable = BUILTIN_ROLES): string | undefined {
  if (text === undefined) return undefined;
  if (!roles.has(text)) {
    const lower = text.toLowerCase();
    const near = nearestValues(text, [...roles.keys()]);
    const hint = lower !== text && roles.has(lower) ? ` (role names are lower-case: did you mean ${lower}?)` : near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
    throw usageError(`--role: unknown role '${text.slice(0, 32)}'${hint}: use one of ${[...roles.keys()].join(', ')}, or define it under roles: in config.yaml`);
  }
  return text;
}

/**
 * A hint for a key refused a permission that reads like its role's name (`system:admin` for a key whose role is
 * agentsec's built-in `admin`): the names match, the permissions do not, and the verdict alone does not say why.
 * Undefined when nothing matches.
 */
export function roleNameHint(role: string | null, missing: readonly string[], roles: RoleTable): string | undefined {
  if (role === null) return undefined;
  const echo = missing.find((m) => m.split(':').includes(role));
  if (echo === undefined) return undefined;
  const which = isRole(role) && roles.get(role) === ROLE_PERMISSIONS[role] ? `agentsec's built-in role '${role}'` : `role '${role}'`;
  return `${which} does not grant ${echo}: a role's name is not a permission; add ${echo} to role ${role} under roles: in config.yaml (see docs/identity.md)`;
}

const META_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

export function parseMeta(values: readonly string[]): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const k = eq < 0 ? '' : v.slice(0, eq);
    const value = eq < 0 ? '' : v.slice(eq + 1);
    if (!META_KEY.test(k)) throw usageError(`--meta: '${v.slice(0, 80)}' is not key=value (key: letters, digits, _ . -, up to 64)`);
    // eslint-disable-next-line no-control-regex
    if (value.length > 256 || /[\u0000-\u001f\u007f]/.test(value)) throw usageError(`--meta: the value of '${k}' must be at most 256 printable characters`);
    meta[k] = value;
  }
  return meta;
}

export type { IssueInput };

export interface RawIssueOptions {
  name?: unknown;
  role?: unknown;
  scope?: unknown;
  expires?: unknown;
  allowIp?: unknown;
  prefix?: unknown;
  meta?: unknown;
}

/** Validates every `keys issue` option with zod, then the domain rules; the first problem is a usage error. */
export async function validateIssueOptions(raw: RawIssueOptions, now: number, defaultPrefix: string, roles: RoleTable = BUILTIN_ROLES): Promise<IssueInput> {
  const { z } = await import('zod');
  const schema = z.object({
    // eslint-disable-next-line no-control-regex
    name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
    role: z.string().optional(),
    scope: z.array(z.string().regex(SCOPE_PATTERN, 'is not resource:action[:target], e.g. memory:read, memory:* or memory:write:agent-x')).default([]),
    expires: z.string().optional(),
    allowIp: z.array(z.string()).default([]),
    prefix: z.string().regex(PREFIX_PATTERN, 'must be 2-16 lower-case letters and digits, starting with a letter').optional(),
    meta: z.array(z.string()).default([]),
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'option');
    const flag = `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw usageError(`${flag}: ${issue?.message ?? 'invalid value'}`);
  }
  const o = parsed.data;
  const scopes = parseScopes(o.scope);
  const role = parseRole(o.role, roles);
  return {
    name: o.name,
    // A key issued with scopes only holds just those; with neither, it is a viewer.
    role: role ?? (scopes.length > 0 ? null : 'viewer'),
    scopes,
    expiresAt: o.expires === undefined ? null : parseExpires(o.expires, now),
    allowIps: parseAllowIps(o.allowIp),
    prefix: o.prefix ?? defaultPrefix,
    meta: parseMeta(o.meta),
  };
}
