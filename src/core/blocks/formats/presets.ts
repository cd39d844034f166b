/**
 * Field and event maps for the log shapes agent servers write, so the common cases need no configuration. Each is
 * a plain map: a user's own map (config `blocks.ingest.fields` / `events`, or flags) replaces any part of it.
 */
import type { EventMap, FieldMap } from './field-map.js';
import type { PresetName } from './names.js';

export { PRESETS, type PresetName } from './names.js';

export interface Preset {
  readonly fields: FieldMap;
  readonly events: EventMap;
  /** The field whose presence marks a record of this shape (for detection). */
  readonly signature: readonly string[];
}

const NO_EVENTS: EventMap = { auth: [], ratelimit: [], decision: [] };

/**
 * Security-event names, exact: upper-case constants (the inference platform, the MCP gateway) and dotted
 * lower-case ones (agentsec's own audit, many Node apps). `*_ERROR` events such as LLM_TOKEN_ERROR or
 * CACHE_KEY_ERROR are the server's own faults, not the client's, and are deliberately absent.
 */
export const SECURITY_EVENTS: EventMap = {
  auth: [
    'AUTHENTICATION_FAILED', 'AUTH_FAILED', 'AUTH_FAILURE', 'LOGIN_FAILED', 'SESSION_VALIDATION_FAILED', 'ACCESS_DENIED',
    'INVALID_API_KEY', 'INVALID_TOKEN', 'TOKEN_INVALID', 'UNAUTHORIZED', 'CROSS_USER_ACCESS', 'SECURITY_VIOLATION',
    'auth.failed', 'auth.failure', 'login.failed', 'keys.verify.failed', 'totp.verify.failed', 'access.denied',
    'auth_failure', 'auth_failed', 'login_failed', 'access_denied', 'invalid_api_key',
  ],
  ratelimit: ['RATE_LIMIT_EXCEEDED', 'RATE_LIMITED', 'rate_limit.exceeded', 'ratelimit.exceeded', 'rate_limited', 'rate_limit_exceeded'],
  decision: ['IP_BLOCKED', 'BLOCKED_IP', 'ip.blocked', 'ip_blocked'],
};

const DURATIONS = ['duration', 'block_duration', 'blockDuration', 'ban_duration', 'duration_seconds'];

export const PRESET_MAPS: Readonly<Record<PresetName, Preset>> = {
  // The inference platform's security log: `event` SECURITY_VIOLATION with a `violation_type`, or the event itself.
  'source-ip': {
    fields: { ip: ['source_ip'], time: ['timestamp', 'time', 'ts'], event: ['violation_type', 'event'], status: ['status'], forwardedFor: ['forwarded_for', 'x_forwarded_for'], duration: DURATIONS },
    events: SECURITY_EVENTS,
    signature: ['source_ip'],
  },
  // nginx `log_format … escape=json` and similar access logs.
  'remote-addr': {
    fields: { ip: ['remote_addr'], time: ['time_iso8601', 'time', 'timestamp', 'msec'], event: [], status: ['status'], forwardedFor: ['http_x_forwarded_for', 'x_forwarded_for'], duration: [] },
    events: NO_EVENTS,
    signature: ['remote_addr'],
  },
  // Node apps that log camelCase (`clientIp`, `type`, `statusCode`).
  'client-ip': {
    fields: { ip: ['clientIp'], time: ['timestamp', 'time', 'ts'], event: ['type', 'event'], status: ['statusCode', 'status'], forwardedFor: ['forwardedFor', 'xForwardedFor'], duration: ['duration', 'blockDuration', 'durationSeconds'] },
    events: SECURITY_EVENTS,
    signature: ['clientIp'],
  },
  // Traefik's JSON access log: ClientHost is the peer it saw; the header only when `accessLog.fields.headers` keeps it.
  traefik: {
    fields: { ip: ['ClientHost'], time: ['StartUTC', 'time'], event: [], status: ['DownstreamStatus'], forwardedFor: ['request_X-Forwarded-For'], duration: [] },
    events: NO_EVENTS,
    signature: ['ClientHost', 'DownstreamStatus'],
  },
  // Caddy's access log: `request.client_ip` already honours Caddy's own trusted_proxies; `remote_ip` is the peer.
  caddy: {
    fields: { ip: ['request.client_ip', 'request.remote_ip'], time: ['ts'], event: [], status: ['status'], forwardedFor: [], duration: [] },
    events: NO_EVENTS,
    signature: ['request.remote_ip', 'status'],
  },
  // key=value security logs (the MCP gateway's security/*.log): the usual names of each field.
  logfmt: {
    fields: {
      ip: ['ip', 'source_ip', 'src_ip', 'client_ip', 'clientIp', 'remote_addr', 'remote_ip'],
      time: ['time', 'ts', 'timestamp'],
      event: ['violation_type', 'event', 'type', 'action'],
      status: ['status'],
      forwardedFor: ['forwarded_for', 'x_forwarded_for'],
      duration: DURATIONS,
    },
    events: SECURITY_EVENTS,
    signature: ['ip', 'source_ip', 'src_ip', 'client_ip', 'clientIp', 'remote_addr', 'remote_ip'],
  },
};

/** A user's partial map over a preset's: each given field list or event list replaces the preset's. */
export function overlay(base: Preset, fields: Partial<FieldMap> | undefined, events: Partial<EventMap> | undefined): Preset {
  return { fields: { ...base.fields, ...(fields ?? {}) }, events: { ...base.events, ...(events ?? {}) }, signature: fields?.ip ?? base.signature };
}
