import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRoutes, normalisePath, parseRequirement, parseRoute, requirementFor } from '../../../src/core/serve/routes.js';

const rules = (list: Array<[string, string]>) => {
  const r = compileRoutes(list.map(([route, require]) => ({ route, require })));
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.value;
};
const need = (rs: ReturnType<typeof rules>, method: string, path: string) => {
  const p = normalisePath(path);
  assert.ok(p, path);
  const r = requirementFor(rs, method, p).require;
  return r.kind === 'permission' ? r.permission : r.kind;
};

test('routes: * is one segment, ** any tail (zero segments too), methods listed or *', () => {
  const rs = rules([
    ['GET /health', 'public'],
    ['POST,PUT /v1/memories/**', 'memory:write'],
    ['GET /v1/memories/*', 'memory:read'],
    ['* /admin/**', 'agent:control'],
  ]);
  assert.equal(need(rs, 'GET', '/health'), 'public');
  assert.equal(need(rs, 'POST', '/health'), 'authenticated');
  assert.equal(need(rs, 'POST', '/v1/memories'), 'memory:write');
  assert.equal(need(rs, 'PUT', '/v1/memories/a/b/c'), 'memory:write');
  assert.equal(need(rs, 'GET', '/v1/memories/42'), 'memory:read');
  assert.equal(need(rs, 'GET', '/v1/memories/42/x'), 'authenticated');
  assert.equal(need(rs, 'GET', '/v1/memories'), 'authenticated', '* needs one segment');
  assert.equal(need(rs, 'DELETE', '/admin'), 'agent:control');
});

test('routes: the first matching rule wins, in the order written', () => {
  const rs = rules([
    ['GET /v1/public/**', 'public'],
    ['GET /v1/**', 'memory:read'],
    ['GET /v1/public/secret', 'secret:read'],
  ]);
  assert.equal(need(rs, 'GET', '/v1/public/secret'), 'public', 'a later, narrower rule does not override an earlier one');
  assert.equal(need(rs, 'GET', '/v1/other'), 'memory:read');
});

test('routes: no policy means every route needs a credential, none is public', () => {
  assert.equal(need(rules([]), 'GET', '/'), 'authenticated');
  assert.equal(need(rules([]), 'GET', '/health'), 'authenticated');
});

test('routes: request paths are normalised before matching, so encoded dots cannot borrow a public rule', () => {
  const rs = rules([
    ['GET /public/**', 'public'],
    ['GET /admin/**', 'agent:control'],
  ]);
  assert.deepEqual(normalisePath('/a//b/./c/?q=1'), ['a', 'b', 'c']);
  assert.equal(need(rs, 'GET', '/public/../admin/x'), 'agent:control');
  assert.equal(need(rs, 'GET', '/public/..%2Fadmin/x'), 'agent:control');
  assert.equal(need(rs, 'GET', '/public/%2e%2e/admin'), 'agent:control');
  assert.equal(need(rs, 'GET', '/public/a?x=/admin'), 'public');
  assert.equal(normalisePath('/bad%zz'), undefined);
  assert.equal(normalisePath('/nul%00'), undefined);
  assert.equal(normalisePath('relative'), undefined);
  assert.equal(normalisePath('/a\\..\\admin'), undefined);
});

test('routes: bad rules are refused with the reason', () => {
  for (const bad of ['GET', '/no-method', 'GET /a/**/b', 'G3T /x', 'GET /a/../b', 'GET /a b']) assert.equal(parseRoute(bad).ok, false, bad);
  for (const bad of ['memory', 'Memory:Write', 'public ', '']) assert.equal(parseRequirement(bad).ok, false, bad);
  const r = compileRoutes([{ route: 'GET /x', require: 'nope' }]);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /^routes\[0\]: require 'nope'/);
});
