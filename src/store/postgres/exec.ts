import { AgentsecError, ExitCode } from '../../core/errors.js';

/**
 * What a repository runs its SQL on: the pool (one statement, autocommit) or the client of an open transaction or
 * snapshot. Repositories never know which; the store decides.
 */
export interface Exec {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/** The connection and server errors a user can act on, each one line naming the store (never its password). */
export function pgError(err: unknown, location: string): AgentsecError {
  if (err instanceof AgentsecError) return err;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = (typeof e?.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  const cause = { cause: err };
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === '57P01' || code === '57P02' || code === '57P03' || code === '08006' || code === '08001' || code === '08003' || /Connection terminated|timeout expired|connection timeout/i.test(msg)) {
    return new AgentsecError(`store ${location} is unreachable (${code || 'connection lost'}): check that PostgreSQL runs and the host, port and socket are right`, ExitCode.Runtime, cause);
  }
  if (code === '28P01' || code === '28000') {
    return new AgentsecError(`store ${location} refused the login (${code}): check the user and PGPASSWORD or the passfile`, ExitCode.Runtime, cause);
  }
  if (code === '3D000') return new AgentsecError(`store ${location}: the database does not exist: create it (see docs/fleet.md)`, ExitCode.Runtime, cause);
  if (code === '42501') return new AgentsecError(`store ${location}: permission denied (${msg}): grant the role what docs/fleet.md lists`, ExitCode.Runtime, cause);
  if (code === '55P03') return new AgentsecError(`store ${location} is locked by another writer: retry, or find the session holding it`, ExitCode.Runtime, cause);
  if (code === '25006') return new AgentsecError(`store ${location} is open read-only: ${msg}`, ExitCode.Runtime, cause);
  return new AgentsecError(`store ${location}: ${msg}`, ExitCode.Runtime, cause);
}

/** True for an error raised by the driver or the server (as opposed to one thrown by the caller's own code). */
export function isPgError(err: unknown): boolean {
  if (err instanceof AgentsecError) return false;
  const e = err as { code?: unknown; severity?: unknown } | undefined;
  if (typeof e?.severity === 'string') return true;
  if (typeof e?.code === 'string' && /^(E[A-Z]+|[0-9A-Z]{5})$/.test(e.code)) return true;
  return err instanceof Error && /Connection terminated|Client has encountered a connection error|timeout expired|not queryable/i.test(err.message);
}
