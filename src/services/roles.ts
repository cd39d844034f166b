/**
 * The role table in force: the built-in roles and config.yaml's `roles:`, and the audit entry that dates a change
 * of it. Called by the keys service, the library and the server alike; never prints.
 */
import { BUILTIN_ROLES, type RoleTable } from '../core/apikeys/permissions.js';
import { buildRoleTable, canonicalRoleTable, diffRoleTables, roleTableDigest } from '../core/apikeys/roles.js';
import type { Config } from '../core/config.js';
import { usageError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { AuditSink } from './audit-sink.js';

export interface ResolvedRoles {
  readonly table: RoleTable;
  /** `sha256:…` of the resolved table (see roleTableDigest). */
  readonly digest: string;
}

/** The role table of a validated config (the built-ins when it has no `roles:`). */
export function rolesOf(config: Config): ResolvedRoles {
  if (!config.roles) return { table: BUILTIN_ROLES, digest: roleTableDigest(BUILTIN_ROLES) };
  const r = buildRoleTable(config.roles);
  // loadConfig has refused such a table already; this guards a config object built by hand (library callers).
  if (!r.ok) throw usageError(`config roles.${r.role}: ${r.message}`);
  return { table: r.table, digest: roleTableDigest(r.table) };
}

/** Meta keys of the role table last recorded in the audit chain. */
const DIGEST_KEY = 'roles.digest';
const TABLE_KEY = 'roles.table';
const BUILTIN_DIGEST = roleTableDigest(BUILTIN_ROLES);

/**
 * Appends a `roles.change` audit entry (digests before and after, the role names added, removed and changed — the
 * permissions themselves are in config.yaml) when the table differs from the one last recorded, and records it.
 *
 * Why an entry per change rather than the digest on every verification: verifications are not audited (a server
 * makes thousands a second), while a key's role is resolved at each one, so what must be provable afterwards is
 * which table was in force from when. The entry is written by the first command or process that sees the new table,
 * which is when it starts to apply to keys (not when the file was edited). The read comes first and is cheap, so
 * commands pay a write only on a change.
 */
export async function recordRoleTable(store: Store, audit: AuditSink, roles: ResolvedRoles): Promise<boolean> {
  // Nothing recorded means the built-ins: a home that never configured roles gets no entry at all.
  if (((await store.meta.get(DIGEST_KEY)) ?? BUILTIN_DIGEST) === roles.digest) return false;
  return store.transaction(async (tx) => {
    // Read again under the write lock: two commands seeing the same change write one entry.
    const previous = (await tx.meta.get(DIGEST_KEY)) ?? BUILTIN_DIGEST;
    if (previous === roles.digest) return false;
    const beforeText = await tx.meta.get(TABLE_KEY);
    const before = beforeText === undefined ? Object.fromEntries(BUILTIN_ROLES) : (JSON.parse(beforeText) as Record<string, string[]>);
    const diff = diffRoleTables(before, roles.table);
    await tx.meta.set(DIGEST_KEY, roles.digest);
    await tx.meta.set(TABLE_KEY, canonicalRoleTable(roles.table));
    await audit(tx, 'roles.change', { digest: roles.digest, previous, ...diff });
    return true;
  });
}
