/**
 * Roles and scopes. A permission is `resource:action`; either side may be `*`. A key holds its role's permissions
 * plus its explicit scopes; a key issued with scopes and no role holds only those scopes (least privilege).
 */
export const ROLES = ['viewer', 'operator', 'admin', 'owner'] as const;
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

/**
 * Resources a `*:…` grant does not reach: reading secrets and managing users must be granted by name, so a viewer's
 * `*:read` never means `secret:read`, and no wildcard scope typed in a hurry hands them out.
 */
export const SENSITIVE_RESOURCES: ReadonlySet<string> = new Set(['secret', 'user']);

export const SCOPE_PATTERN = /^(\*|[a-z][a-z0-9-]{0,31}):(\*|[a-z][a-z0-9-]{0,31})$/;

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

export function isScope(text: string): boolean {
  return SCOPE_PATTERN.test(text);
}

/**
 * True when the granted permission covers the required one (`memory:*` covers `memory:write`; not the reverse).
 * A `*` resource covers every resource but the {@link SENSITIVE_RESOURCES}.
 */
export function permissionCovers(granted: string, required: string): boolean {
  const g = granted.indexOf(':');
  const r = required.indexOf(':');
  const gr = granted.slice(0, g);
  const ga = granted.slice(g + 1);
  const rr = required.slice(0, r);
  const resourceOk = gr === rr || (gr === '*' && !SENSITIVE_RESOURCES.has(rr));
  return resourceOk && (ga === '*' || ga === required.slice(r + 1));
}

/** The permissions a key holds. */
export function effectivePermissions(role: Role | null, scopes: readonly string[]): string[] {
  return [...new Set([...(role ? ROLE_PERMISSIONS[role] : []), ...scopes])];
}

/** The required permissions that `granted` does not cover (empty when all are covered). */
export function missingPermissions(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((r) => !granted.some((g) => permissionCovers(g, r)));
}
