import { createHash } from 'node:crypto';
import { BUILTIN_ROLES, ROLES, SCOPE_PATTERN, isRole, type RoleTable } from './permissions.js';

/** A role name: lower-case, so `Admin` can never sit beside `admin` and mean something else. */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** Limits that keep a role table a table, not a denial of service on every verification. */
export const MAX_ROLES = 256;
export const MAX_ROLE_ENTRIES = 256;

/** `roles:` of config.yaml: role name to entries, each a permission or (no colon) the name of a role it includes. */
export type RoleDefinitions = Readonly<Record<string, readonly string[]>>;

export type RoleTableResult = { readonly ok: true; readonly table: RoleTable } | { readonly ok: false; readonly role: string; readonly message: string };

function badName(name: string, defs: RoleDefinitions): string | undefined {
  if (ROLE_NAME_PATTERN.test(name)) return undefined;
  const lower = name.toLowerCase();
  // The collision that bites: AgentMem writes `Admin`, agentsec has `admin`. Two spellings of one name would make
  // which one a key gets depend on case, so redefining a built-in is allowed only under its own spelling.
  if (ROLE_NAME_PATTERN.test(lower) && (isRole(lower) || Object.hasOwn(defs, lower))) {
    return `role '${name}' differs from ${isRole(lower) ? 'the built-in role' : 'the role'} '${lower}' only in case: write ${lower} to ${isRole(lower) ? 'redefine it' : 'define it once'}, or choose another name`;
  }
  const hint = ROLE_NAME_PATTERN.test(lower.replace(/[_ ]/g, '-')) ? ` (e.g. ${lower.replace(/[_ ]/g, '-')})` : '';
  return `role '${name.slice(0, 40)}' is not a role name: use lower-case letters, digits and -, starting with a letter, up to 32${hint}`;
}

function badEntry(entry: string, defs: RoleDefinitions): string | undefined {
  if (entry.includes(':')) {
    return SCOPE_PATTERN.test(entry) ? undefined : `'${entry.slice(0, 80)}' is not a permission: use resource:action or resource:action:target, each part a name or * (e.g. memory:read, memory:*, message:inject:agent-planner)`;
  }
  if (Object.hasOwn(defs, entry) || isRole(entry)) return undefined;
  return `'${entry.slice(0, 80)}' is neither a permission (resource:action) nor a role: define role ${entry.slice(0, 40)} or fix the spelling`;
}

/**
 * Builds the role table of a config: the built-ins, with each configured role added or replacing the built-in of
 * that name. An entry without a colon includes another role's permissions (configured or built-in); includes are
 * expanded here, once, so verification only looks a name up. Refused, naming the role: a name that is not
 * lower-case (a case variant of another role above all), an entry that is neither a permission nor a role, and a
 * cycle of includes (including a role that includes itself, which would otherwise silently mean its built-in).
 * Pure; the order of `defs` does not matter.
 */
export function buildRoleTable(defs: RoleDefinitions): RoleTableResult {
  const names = Object.keys(defs);
  if (names.length > MAX_ROLES) return { ok: false, role: names[MAX_ROLES] as string, message: `at most ${MAX_ROLES} roles` };
  for (const name of names) {
    const why = badName(name, defs);
    if (why) return { ok: false, role: name, message: why };
    const entries = defs[name] as readonly string[];
    if (entries.length > MAX_ROLE_ENTRIES) return { ok: false, role: name, message: `at most ${MAX_ROLE_ENTRIES} entries per role` };
    for (const e of entries) {
      const bad = badEntry(e, defs);
      if (bad) return { ok: false, role: name, message: bad };
    }
  }
  const resolved = new Map<string, readonly string[]>();
  const visiting: string[] = [];
  const expand = (name: string): readonly string[] | { cycle: string[] } => {
    const done = resolved.get(name);
    if (done) return done;
    if (!Object.hasOwn(defs, name)) return BUILTIN_ROLES.get(name) ?? [];
    const at = visiting.indexOf(name);
    if (at >= 0) return { cycle: [...visiting.slice(at), name] };
    visiting.push(name);
    const out: string[] = [];
    for (const e of defs[name] as readonly string[]) {
      if (e.includes(':')) {
        out.push(e);
        continue;
      }
      const sub = expand(e);
      if ('cycle' in sub) return sub;
      out.push(...sub);
    }
    visiting.pop();
    const perms = Object.freeze([...new Set(out)]);
    resolved.set(name, perms);
    return perms;
  };
  for (const name of names) {
    const r = expand(name);
    if ('cycle' in r) return { ok: false, role: name, message: `roles include each other (${r.cycle.join(' -> ')}): break the cycle` };
  }
  const table = new Map<string, readonly string[]>();
  for (const r of ROLES) table.set(r, resolved.get(r) ?? (BUILTIN_ROLES.get(r) as readonly string[]));
  for (const name of [...names].sort()) if (!isRole(name)) table.set(name, resolved.get(name) as readonly string[]);
  return { ok: true, table };
}

/**
 * A digest of what a role table grants (sorted, includes expanded), so the audit chain can say which table was in
 * force and when it changed: `sha256:` and hex.
 */
export function roleTableDigest(table: RoleTable): string {
  return `sha256:${createHash('sha256').update(canonicalRoleTable(table)).digest('hex')}`;
}

/** The table as sorted JSON (`{"admin":[…],…}`, permissions sorted): stable across orderings of config.yaml. */
export function canonicalRoleTable(table: RoleTable): string {
  const obj: Record<string, string[]> = {};
  for (const name of [...table.keys()].sort()) obj[name] = [...(table.get(name) as readonly string[])].sort();
  return JSON.stringify(obj);
}

/** What changed between two tables, by role name (for the `roles.change` audit entry). */
export function diffRoleTables(before: Readonly<Record<string, readonly string[]>>, after: RoleTable): { added: string[]; removed: string[]; changed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [name, perms] of after) {
    const old = before[name];
    if (old === undefined) added.push(name);
    else if (JSON.stringify([...old].sort()) !== JSON.stringify([...perms].sort())) changed.push(name);
  }
  const removed = Object.keys(before).filter((n) => !after.has(n));
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
