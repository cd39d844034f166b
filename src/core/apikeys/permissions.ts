/**
 * Roles and scopes. A permission is `resource:action` or `resource:action:target`; any part may be `*`. A key holds
 * its role's permissions plus its explicit scopes; a key issued with scopes and no role holds only those scopes
 * (least privilege). Roles come from a {@link RoleTable}: the built-ins below, redefined or extended by config.yaml.
 */
export const ROLES = ['viewer', 'operator', 'admin', 'owner'] as const;
/** A built-in role. Configured roles are plain strings (see {@link RoleTable}). */
export type Role = (typeof ROLES)[number];

const VIEWER = ['*:read'];
const OPERATOR = [...VIEWER, 'message:inject', 'agent:read-config'];
const ADMIN = [...OPERATOR, 'agent:control', 'config:reload'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly string[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  admin: ADMIN,
  // Everything, including user:manage and secret:read, which a resource wildcard alone never reaches.
  owner: ['*:*', 'secret:*', 'user:*'],
};

/** Role name to the permissions it grants, includes already expanded. */
export type RoleTable = ReadonlyMap<string, readonly string[]>;

/** The built-in roles alone: the table in force when config.yaml has no `roles:` section. */
export const BUILTIN_ROLES: RoleTable = new Map(ROLES.map((r) => [r, ROLE_PERMISSIONS[r]]));

/**
 * Resources a `*:…` grant does not reach: reading secrets and managing users must be granted by name, so a viewer's
 * `*:read` never means `secret:read`, and no wildcard scope typed in a hurry hands them out.
 */
export const SENSITIVE_RESOURCES: ReadonlySet<string> = new Set(['secret', 'user']);

/**
 * `resource:action` with an optional `:target`. Resources and actions are short lower-case words; a target names
 * one instance (an agent, a memory namespace) and may also hold digits, `.` and `_` (ids, UUIDs). Case-sensitive.
 */
export const SCOPE_PATTERN = /^(\*|[a-z][a-z0-9-]{0,31}):(\*|[a-z][a-z0-9-]{0,31})(:(\*|[a-z0-9][a-z0-9._-]{0,63}))?$/;

/** True for a built-in role name. Configured roles are checked against their table (`table.has(name)`). */
export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

export function isScope(text: string): boolean {
  return SCOPE_PATTERN.test(text);
}

/**
 * True when the granted permission covers the required one. Part by part: a granted `*` covers any value, a required
 * `*` is covered only by a granted `*`, and an absent target means every target (`memory:write` is
 * `memory:write:*`). So `memory:*` covers `memory:write` and `memory:write:agent-x`; `memory:write:agent-x` covers
 * only itself, never `memory:write`. A `*` resource covers every resource but the {@link SENSITIVE_RESOURCES}.
 */
export function permissionCovers(granted: string, required: string): boolean {
  const g1 = granted.indexOf(':');
  const r1 = required.indexOf(':');
  const gr = granted.slice(0, g1);
  const rr = required.slice(0, r1);
  if (!(gr === rr || (gr === '*' && !SENSITIVE_RESOURCES.has(rr)))) return false;
  const g2 = granted.indexOf(':', g1 + 1);
  const r2 = required.indexOf(':', r1 + 1);
  const ga = g2 < 0 ? granted.slice(g1 + 1) : granted.slice(g1 + 1, g2);
  const ra = r2 < 0 ? required.slice(r1 + 1) : required.slice(r1 + 1, r2);
  if (ga !== '*' && ga !== ra) return false;
  const gt = g2 < 0 ? '*' : granted.slice(g2 + 1);
  const rt = r2 < 0 ? '*' : required.slice(r2 + 1);
  return gt === '*' || gt === rt;
}

/**
 * The permissions a key holds: its role's in `roles` (the built-ins by default) plus its scopes. A role the table
 * does not define (removed from config.yaml since the key was issued) grants nothing: fail closed.
 */
export function effectivePermissions(role: string | null, scopes: readonly string[], roles: RoleTable = BUILTIN_ROLES): string[] {
  return [...new Set([...((role !== null && roles.get(role)) || []), ...scopes])];
}

/** The required permissions that `granted` does not cover (empty when all are covered). */
export function missingPermissions(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((r) => !granted.some((g) => permissionCovers(g, r)));
}
