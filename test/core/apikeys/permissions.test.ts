import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePermissions, isRole, isScope, missingPermissions, permissionCovers } from '../../../src/core/apikeys/permissions.js';

test('scope syntax', () => {
  for (const s of ['memory:read', 'memory:*', '*:read', '*:*', 'agent:read-config', 'a1:b2']) assert.ok(isScope(s), s);
  for (const s of ['', 'memory', 'memory:', ':read', 'Memory:read', 'mem ory:read', 'mem*:read', '**:read', 'memory:read ', '-a:b']) assert.ok(!isScope(s), s);
});

test('roles', () => {
  for (const r of ['viewer', 'operator', 'admin', 'owner']) assert.ok(isRole(r));
  assert.ok(!isRole('root'));
  assert.ok(!isRole('Owner'));
});

test('covers: wildcards on the granted side only', () => {
  const cases: Array<[string, string, boolean]> = [
    ['memory:read', 'memory:read', true],
    ['memory:*', 'memory:write', true],
    ['*:read', 'memory:read', true],
    ['*:*', 'secret:read', false],
    ['memory:read', 'memory:write', false],
    ['memory:read', 'memory:*', false],
    ['*:read', 'memory:write', false],
    ['memory:*', 'secrets:read', false],
    ['mem:read', 'memory:read', false],
    ['*:read', 'secret:read', false],
    ['*:*', 'user:manage', false],
    ['secret:*', 'secret:read', true],
    ['secret:read', 'secret:read', true],
    ['*:read', '*:read', true],
  ];
  for (const [g, r, want] of cases) assert.equal(permissionCovers(g, r), want, `${g} covers ${r}`);
});

test('scopes: a third part names one target', () => {
  for (const s of ['memory:write:agent-x', 'message:inject:agent-planner', 'memory:*:*', '*:read:ns.1', 'memory:write:0f8e_a']) assert.ok(isScope(s), s);
  for (const s of ['memory:write:', 'memory:write:Agent', 'memory:write:a:b', 'memory:write:-x', 'memory:write:a b', 'memory:write:a*']) assert.ok(!isScope(s), s);
});

test('covers: a missing target means every target; * never crosses into secret: or user:', () => {
  const cases: Array<[string, string, boolean]> = [
    ['memory:write', 'memory:write:agent-x', true],
    ['memory:*', 'memory:write:agent-x', true],
    ['memory:write:*', 'memory:write:agent-x', true],
    ['memory:write:*', 'memory:write', true],
    ['memory:write:agent-x', 'memory:write:agent-x', true],
    ['memory:write:agent-x', 'memory:write:agent-y', false],
    ['memory:write:agent-x', 'memory:write', false],
    ['memory:write:agent-x', 'memory:write:*', false],
    ['memory:read', 'memory:write:agent-x', false],
    ['*:*:agent-x', 'memory:write:agent-x', true],
    ['*:*:agent-x', 'memory:write:agent-y', false],
    ['*:inject', 'message:inject:agent-planner', true],
    ['*:*', 'secret:read:db', false],
    ['*:read:*', 'user:read:alice', false],
    ['secret:read', 'secret:read:db', true],
    ['secret:read:db', 'secret:read:other', false],
    ['user:*:alice', 'user:manage:alice', true],
  ];
  for (const [g, r, want] of cases) assert.equal(permissionCovers(g, r), want, `${g} covers ${r}`);
});

test('role ladder', () => {
  const can = (role: 'viewer' | 'operator' | 'admin' | 'owner', perm: string) => missingPermissions(effectivePermissions(role, []), [perm]).length === 0;
  const table: Array<[string, boolean, boolean, boolean, boolean]> = [
    // perm                viewer operator admin owner
    ['memory:read', true, true, true, true],
    ['message:inject', false, true, true, true],
    ['agent:read-config', false, true, true, true],
    ['agent:control', false, false, true, true],
    ['config:reload', false, false, true, true],
    ['user:manage', false, false, false, true],
    ['secret:read', false, false, false, true], // sensitive: *:read does not reach it
    ['secret:write', false, false, false, true],
    ['user:read', false, false, false, true],
  ];
  for (const [perm, v, o, a, w] of table) {
    assert.equal(can('viewer', perm), v, `viewer ${perm}`);
    assert.equal(can('operator', perm), o, `operator ${perm}`);
    assert.equal(can('admin', perm), a, `admin ${perm}`);
    assert.equal(can('owner', perm), w, `owner ${perm}`);
  }
});

test('scopes add to the role; no role means only the scopes', () => {
  assert.deepEqual(effectivePermissions(null, ['memory:read']), ['memory:read']);
  assert.deepEqual(missingPermissions(effectivePermissions(null, ['memory:read']), ['agent:read']), ['agent:read']);
  assert.deepEqual(missingPermissions(effectivePermissions('viewer', ['memory:write']), ['memory:write', 'memory:read']), []);
  assert.deepEqual(missingPermissions(['memory:*'], ['memory:read', 'agent:control', 'x:y']), ['agent:control', 'x:y']);
});
