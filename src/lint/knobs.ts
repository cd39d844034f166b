import type { Setting } from './setting.js';

/**
 * Setting names that only an agent server (or the gateway in front of it) carries: the security knobs LINT-RULES.md's
 * agent table names. A file holding two or more of them is treated as agent-server settings, which is what makes the
 * "unset" checks (no size limit, no lockout) meaningful; a secret or a port alone says nothing about that.
 */
const KNOB = /^(?:WS_)?AUTH_ENABLED$|^DISABLE_AUTH$|^AUTH_DISABLED$|^WEBUI_AUTH$|^(?:SSL|TLS)_ENABLED$|^TLS_MIN_VERSION$|^MIN_TLS_VERSION$|^RATE_LIMIT(?:_ENABLED)?$|^AUTO_BLOCK_ENABLED$|^MAX_FAILED_ATTEMPTS$|^MAX_(?:REQUEST|MESSAGE|BODY|UPLOAD)_SIZE$|^SECURITY_HEADERS_ENABLED$|^SECURITY_AUDIT_LOG$|^ENABLE_AUDIT_LOGGING$|^AUDIT_LOG(?:GING)?(?:_ENABLED)?$|^JWT_EXPIRES_IN$|^ACCESS_TOKEN_(?:TTL|EXPIRY|EXPIRES_IN|LIFETIME)$|^SESSION_TIMEOUT_HOURS$|^PASSWORD_MIN_LENGTH$|^(?:WS|TCP)_MAX_CONNECTIONS$|^CORS_ALLOWED_ORIGINS$|^CORS_ENABLED$|^(?:MCP_)?CORS_ORIGINS$|^SESSION_COOKIE_SECURE$|^PASSWORD_HASH(?:ING)?(?:_ALGORITHM)?$/;

export function isAgentKnob(name: string): boolean {
  return KNOB.test(name);
}

/** Two or more distinct knobs: an agent server's settings rather than any old config. */
export function looksLikeAgentServer(settings: readonly Setting[]): boolean {
  const seen = new Set<string>();
  for (const s of settings) {
    if (isAgentKnob(s.name)) seen.add(s.name);
    if (seen.size >= 2) return true;
  }
  return false;
}
