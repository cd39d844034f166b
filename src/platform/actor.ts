import { userInfo } from 'node:os';
import type { JsonValue } from '../core/audit/entry.js';

/** Who ran this agentsec command, as recorded in audit entries: the OS user, never anything secret. */
export function cliActor(): JsonValue {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  try {
    return { kind: 'cli', user: userInfo().username, uid };
  } catch {
    // No passwd entry (a container running as an arbitrary uid).
    return { kind: 'cli', uid };
  }
}
