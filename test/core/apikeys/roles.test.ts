import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_ROLES, effectivePermissions, missingPermissions, ROLE_PERMISSIONS, type RoleTable } from '../../../src/core/apikeys/permissions.js';
import { buildRoleTable, diffRoleTables, roleTableDigest } from '../../../src/core/apikeys/roles.js';
import { configSchema } from '../../../src/core/config.js';

function table(defs: Record<string, string[]>): RoleTable {
  const r = buildRoleTable(defs);
  if (!r.ok) throw new Error(`${r.role}: ${r.message}`);
  return r.table;
}

const can = (t: RoleTable, role: string, perm: string): boolean => missingPermissions(effectivePermissions(role, [], t), [perm]).length === 0;

test('an AgentMem-style role table: Admin/User/Service/Read-Only as lower-case roles', () => {
  const t = table({
    'system-admin': ['system:admin', 'user:manage', 'memory:*', 'agent:manage'],
    user: ['memory:read', 'memory:write', 'memory:delete'],
    service: ['memory:read', 'memory:write', 'memory:delete', 'agent:manage'],
    'read-only': ['*:read'],
  });
  const rows: Array<[string, boolean, boolean, boolean, boolean]> = [
    // perm              system-admin user  service read-only
    ['system:admin', true, false, false, false],
    ['user:manage', true, false, false, false],
    ['memory:read', true, true, true, true],
    ['memory:write', true, true, true, false],
    ['memory:write:agent-x', true, true, true, false],
    ['memory:delete', true, true, true, false],
    ['agent:manage', true, false, true, false],
    ['user:read', false, false, false, false], // *:read never reaches user:
    ['secret:read', false, false, false, false],
  ];
  for (const [perm, a, u, s, r] of rows) {
    assert.equal(can(t, 'system-admin', perm), a, `system-admin ${perm}`);
    assert.equal(can(t, 'user', perm), u, `user ${perm}`);
    assert.equal(can(t, 'service', perm), s, `service ${perm}`);
    assert.equal(can(t, 'read-only', perm), r, `read-only ${perm}`);
  }
  // The built-ins are still there beside them, unchanged.
  for (const r of ['viewer', 'operator', 'admin', 'owner'] as const) assert.equal(t.get(r), ROLE_PERMISSIONS[r]);
});

test("the naming trap: agentsec's admin is not AgentMem's system:admin", () => {
  assert.equal(can(BUILTIN_ROLES, 'admin', 'system:admin'), false);
  // Redefining the built-in under its own name is how a table says what admin means on this server.
  const t = table({ admin: ['admin-base', 'system:admin'], 'admin-base': ['operator', 'agent:control'] });
  assert.equal(can(t, 'admin', 'system:admin'), true);
  assert.equal(can(t, 'admin', 'message:inject'), true);
  assert.equal(can(t, 'admin', 'config:reload'), false, 'the redefinition replaces the built-in, it does not add to it');
});

test('includes expand transitively, against redefined built-ins, in any order', () => {
  const t = table({ c: ['b', 'c:do'], b: ['a', 'b:do'], a: ['viewer', 'a:do'], viewer: ['metrics:read'] });
  assert.deepEqual([...(t.get('c') as string[])].sort(), ['a:do', 'b:do', 'c:do', 'metrics:read']);
  assert.equal(can(t, 'operator', 'memory:read'), true, "operator is built-in and keeps its own *:read (it is not defined by 'viewer')");
});

test('refused: case variants of a role, bad names, unknown entries, ill-formed permissions, cycles', () => {
  const cases: Array<[Record<string, string[]>, string, RegExp]> = [
    [{ Admin: ['system:admin'] }, 'Admin', /differs from the built-in role 'admin' only in case: write admin to redefine it/],
    [{ 'Read-Only': ['*:read'] }, 'Read-Only', /not a role name.*\(e\.g\. read-only\)/],
    [{ service: ['x:y'], Service: ['x:y'] }, 'Service', /differs from the role 'service' only in case/],
    [{ read_only: ['*:read'] }, 'read_only', /not a role name.*e\.g\. read-only/],
    [{ '*': ['x:y'] }, '*', /not a role name/],
    [{ service: ['memory:Read'] }, 'service', /'memory:Read' is not a permission/],
    [{ service: ['memory:read:x:y'] }, 'service', /is not a permission/],
    [{ service: ['memory'] }, 'service', /'memory' is neither a permission \(resource:action\) nor a role/],
    [{ service: ['mem*:read'] }, 'service', /is not a permission/],
    [{ a: ['b'], b: ['a'] }, 'a', /roles include each other \(a -> b -> a\)/],
    [{ a: ['b'], b: ['c'], c: ['a', 'x:y'] }, 'a', /a -> b -> c -> a/],
    [{ viewer: ['viewer', 'metrics:read'] }, 'viewer', /viewer -> viewer/],
  ];
  for (const [defs, role, msg] of cases) {
    const r = buildRoleTable(defs);
    assert.equal(r.ok, false, JSON.stringify(defs));
    if (!r.ok) {
      assert.equal(r.role, role, JSON.stringify(defs));
      assert.match(r.message, msg, JSON.stringify(defs));
    }
  }
});

test('config.yaml: roles are validated by the schema, naming the role', () => {
  assert.ok(configSchema.safeParse({ roles: { service: ['memory:read', 'viewer'], 'read-only': ['*:read'] } }).success);
  const bad = configSchema.safeParse({ roles: { a: ['b'], b: ['a'] } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues[0]?.path, ['roles', 'a']);
  for (const doc of [{ roles: { service: 'memory:read' } }, { roles: { service: null } }, { roles: [] }, { roles: { service: [1] } }]) assert.equal(configSchema.safeParse(doc).success, false, JSON.stringify(doc));
});

test('the digest depends on what the table grants, not on how config.yaml orders it', () => {
  const a = table({ service: ['memory:read', 'memory:write'], ops: ['operator'] });
  const b = table({ ops: ['operator'], service: ['memory:write', 'memory:read'] });
  assert.equal(roleTableDigest(a), roleTableDigest(b));
  assert.notEqual(roleTableDigest(a), roleTableDigest(table({ service: ['memory:read'], ops: ['operator'] })));
  assert.notEqual(roleTableDigest(a), roleTableDigest(BUILTIN_ROLES));
  assert.match(roleTableDigest(a), /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(diffRoleTables(Object.fromEntries(a), table({ service: ['memory:read'], extra: ['x:y'] })), { added: ['extra'], removed: ['ops'], changed: ['service'] });
});

test('a role the table does not define grants nothing (fail closed)', () => {
  assert.deepEqual(effectivePermissions('service', ['memory:read'], BUILTIN_ROLES), ['memory:read']);
  assert.deepEqual(effectivePermissions('service', []), []);
});
