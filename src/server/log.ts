/**
 * The server's structured log: one JSON object a line on stderr, `{ts, level, event, ...fields}`. Callers never
 * pass a credential; as a second guard, fields whose names say they may hold one are replaced before writing.
 */
import type { ServerLog } from './endpoint.js';

const SECRET_FIELD = /^(authorization|x-api-key|api-?key|token|password|secret|cookie|key)$/i;

export function jsonLog(write: (line: string) => void, clock: () => Date = () => new Date()): ServerLog {
  const emit = (level: string, event: string, fields?: Record<string, unknown>) => {
    const rec: Record<string, unknown> = { ts: clock().toISOString(), level, event };
    if (fields) for (const [k, v] of Object.entries(fields)) rec[k] = SECRET_FIELD.test(k) ? '[redacted]' : v instanceof Error ? v.message : v;
    try {
      write(`${JSON.stringify(rec)}\n`);
    } catch {
      // A log that cannot be written (stderr closed) must not take requests down with it.
    }
  };
  return {
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}
