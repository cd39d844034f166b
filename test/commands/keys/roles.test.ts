import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { closeAgentsec, verifyApiKey } from '../../../src/index.js';
import { closeApiKeyStores } from '../../../src/lib/verify-api-key.js';
import { cli, initHome, issue } from './helpers.js';

const homes: Array<() => void> = [];
after(async () => {
  await closeApiKeyStores();
  await closeAgentsec();
  for (const c of homes) c();
});

async function home(): Promise<string> {
  const h = await initHome();
  homes.push(h.cleanup);
  return h.home;
}

const AGENTMEM = `roles:
  system-admin: [system:admin, user:manage, "memory:*", agent:manage]
  user: [memory:read, memory:write, memory:delete]
  service: [memory:read, memory:write, memory:delete, agent:manage]
  read-only: ["*:read"]
`;

function writeConfig(h: string, text: string): void {
  writeFileSync(join(h, 'config.yaml'), text, { mode: 0o600 });
}

async function verify(h: string, key: string, scopes: string[]): Promise<{ code: number; doc: { code: string; key?: { role: string; permissions: string[] } }; stderr: string }> {
  const r = await cli(h, ['--json', 'keys', 'verify', ...scopes.flatMap((s) => ['--scope', s])], { stdin: key });
  return { code: r.code, doc: JSON.parse(r.stdout) as never, stderr: r.stderr };
}

async function auditTypes(h: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const r = await cli(h, ['audit', 'log', '--json']);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
}

test('keys issue --role service works once config.yaml defines it; verify uses its permissions and targets', async () => {
  const h = await home();
  const refused = await cli(h, ['keys', 'issue', '--name', 'mem0', '--role', 'service']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--role: unknown role 'service': use one of viewer, operator, admin, owner, or define it under roles: in config\.yaml/);
  writeConfig(h, AGENTMEM);
  const { key } = await issue(h, ['--role', 'service']);
  const ok = await verify(h, key, ['memory:write:agent-x', 'agent:manage']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.doc.key?.role, 'service');
  const no = await verify(h, key, ['user:manage']);
  assert.equal(no.code, 1);
  assert.equal(no.doc.code, 'INSUFFICIENT_SCOPE');
  const caseVariant = await cli(h, ['keys', 'issue', '--name', 'x', '--role', 'Service']);
  assert.equal(caseVariant.code, 2);
  assert.match(caseVariant.stderr, /did you mean service\?/);
});

test('a resource-level scope grants one target only', async () => {
  const h = await home();
  const { key } = await issue(h, ['--scope', 'message:inject:agent-planner']);
  assert.equal((await verify(h, key, ['message:inject:agent-planner'])).code, 0);
  assert.equal((await verify(h, key, ['message:inject:agent-coder'])).doc.code, 'INSUFFICIENT_SCOPE');
  assert.equal((await verify(h, key, ['message:inject'])).doc.code, 'INSUFFICIENT_SCOPE', 'one target does not grant all of them');
  const bad = await cli(h, ['keys', 'verify', '--scope', 'message:inject:Agent'], { stdin: key });
  assert.equal(bad.code, 2);
});

test("a key's role is resolved at verify time: a changed role applies at once, and the change is audited", async () => {
  const h = await home();
  writeConfig(h, AGENTMEM);
  const { key, id } = await issue(h, ['--role', 'service']);
  assert.equal((await verify(h, key, ['memory:delete'])).code, 0);
  // The library, a long-lived process, sees the same table.
  assert.equal((await verifyApiKey(key, { home: h, scopes: ['memory:delete'] })).code, 'VALID');

  writeConfig(h, AGENTMEM.replace('service: [memory:read, memory:write, memory:delete, agent:manage]', 'service: [memory:read]'));
  const after = await verify(h, key, ['memory:delete']);
  assert.equal(after.doc.code, 'INSUFFICIENT_SCOPE');
  assert.deepEqual(after.doc.key?.permissions, ['memory:read']);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await verifyApiKey(key, { home: h, scopes: ['memory:delete'] })).code, 'INSUFFICIENT_SCOPE', 'the library re-reads a changed config within a second');

  const entries = await auditTypes(h);
  const changes = entries.filter((e) => e.type === 'roles.change');
  assert.equal(changes.length, 2, 'one entry per table change, not one per command');
  assert.deepEqual(changes[0]?.data['added'], ['read-only', 'service', 'system-admin', 'user']);
  assert.deepEqual(changes[1]?.data['changed'], ['service']);
  assert.equal(changes[1]?.data['previous'], changes[0]?.data['digest']);
  assert.ok(!JSON.stringify(entries).includes(key.split('_')[1] as string), 'no key in the audit log');

  // A role removed from config.yaml grants nothing, and says so.
  writeConfig(h, 'roles:\n  user: [memory:read]\n');
  const gone = await verify(h, key, []);
  assert.equal(gone.code, 0, 'still an authentic key');
  assert.deepEqual(gone.doc.key?.permissions, []);
  assert.match(gone.stderr, new RegExp(`key ${id} has role 'service', which config.yaml no longer defines`));
});

test('a home that never configures roles gets no roles.change entry', async () => {
  const h = await home();
  await issue(h, ['--role', 'admin']);
  assert.deepEqual((await auditTypes(h)).map((e) => e.type), ['audit.init', 'keys.issue']);
});

test("the naming trap: the built-in admin refused system:admin says why", async () => {
  const h = await home();
  const { key } = await issue(h, ['--role', 'admin']);
  const r = await verify(h, key, ['system:admin']);
  assert.equal(r.doc.code, 'INSUFFICIENT_SCOPE');
  assert.match(r.stderr, /agentsec's built-in role 'admin' does not grant system:admin: a role's name is not a permission; add system:admin to role admin under roles: in config\.yaml/);
  writeConfig(h, 'roles:\n  admin: [admin-base, system:admin]\n  admin-base: [operator, agent:control, config:reload]\n');
  const fixed = await verify(h, key, ['system:admin', 'config:reload']);
  assert.equal(fixed.code, 0, fixed.stderr);
});

test('a bad role table is refused at load with exit 2, naming the role, for every command', async () => {
  const h = await home();
  const cases: Array<[string, RegExp]> = [
    ['roles:\n  Admin: [system:admin]\n', /config .*config\.yaml: roles\.Admin: role 'Admin' differs from the built-in role 'admin' only in case/],
    ['roles:\n  a: [b]\n  b: [a]\n', /roles\.a: roles include each other \(a -> b -> a\)/],
    ['roles:\n  service: [memroy]\n', /roles\.service: 'memroy' is neither a permission/],
    ['roles:\n  service: ["memory:Write"]\n', /roles\.service: 'memory:Write' is not a permission/],
  ];
  for (const [text, msg] of cases) {
    writeConfig(h, text);
    for (const args of [['keys', 'list'], ['keys', 'issue', '--name', 'x']]) {
      const r = await cli(h, args);
      assert.equal(r.code, 2, `${text} ${args.join(' ')}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
  }
});

test('the library keeps the role table in force when config.yaml is edited into something it refuses', async () => {
  const h = await home();
  writeConfig(h, AGENTMEM);
  const { key } = await issue(h, ['--role', 'service']);
  assert.equal((await verifyApiKey(key, { home: h, scopes: ['agent:manage'] })).code, 'VALID');
  writeConfig(h, 'roles:\n  a: [b]\n  b: [a]\n');
  await new Promise((r) => setTimeout(r, 1100));
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    assert.equal((await verifyApiKey(key, { home: h, scopes: ['agent:manage'] })).code, 'VALID', 'no throw, the old table stands');
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', onWarning);
  }
  assert.ok(warnings.some((w) => /config\.yaml changed but cannot be used .*roles include each other/.test(w)), warnings.join('\n'));
});

test('--role completes from the role table of the home, configured roles included', async () => {
  const h = await home();
  const names = async (): Promise<string[]> => (await cli(h, ['__complete', 'roles'])).stdout.trim().split('\n').map((l) => l.split('\t')[0] as string);
  assert.deepEqual(await names(), ['viewer', 'operator', 'admin', 'owner']);
  writeConfig(h, AGENTMEM);
  assert.deepEqual(await names(), ['viewer', 'operator', 'admin', 'owner', 'read-only', 'service', 'system-admin', 'user']);
  const svc = await cli(h, ['__complete', 'roles', 'se']);
  assert.equal(svc.stdout, 'service\tmemory:read memory:write memory:delete agent:manage\n');
});
