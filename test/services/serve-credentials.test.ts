import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentsecError, ExitCode } from '../../src/core/errors.js';
import { libraryRuntime } from '../../src/lib/runtime.js';
import { authenticate, createCredential, deleteBouncer, listCredentials, openCredentials, revokeToken, type CredentialsService } from '../../src/services/serve-credentials.js';
import { cli, initHome } from '../commands/keys/helpers.js';

let now = Date.parse('2026-12-01T12:00:00Z');
let home: string;
let cleanup: () => void;
let svc: CredentialsService;

before(async () => {
  ({ home, cleanup } = await initHome());
  svc = await openCredentials({ ...libraryRuntime(home), clock: () => new Date(now) });
});
after(async () => {
  await svc.close();
  cleanup();
});

const usage = (re: RegExp) => (err: unknown) => err instanceof AgentsecError && err.exitCode === ExitCode.Usage && re.test(err.message);

test('credentials: created once per name and kind, scopes checked and ordered, nothing written for bad input', async () => {
  const { secret, record } = await createCredential(svc, 'app', 'letta', ['blocks:check', 'keys:verify', 'keys:verify']);
  assert.deepEqual(record.scopes, ['keys:verify', 'blocks:check']);
  assert.equal(record.last4, secret.slice(-4));
  await assert.rejects(createCredential(svc, 'app', 'letta', ['keys:verify']), usage(/exists/));
  await assert.rejects(createCredential(svc, 'app', 'other', ['keys:issue']), usage(/unknown scope 'keys:issue'/));
  await assert.rejects(createCredential(svc, 'app', 'other', []), usage(/at least one/));
  await assert.rejects(createCredential(svc, 'bouncer', 'bad name', []), usage(/invalid bouncer name/));
  assert.deepEqual((await listCredentials(svc, 'app', { all: true })).map((r) => r.name), ['letta']);
  assert.equal((await createCredential(svc, 'bouncer', 'letta')).record.kind, 'bouncer', 'the same name as another kind');
});

test('credentials: authenticate takes only an unrevoked secret of its own kind, and touches last-used at most once a minute', async () => {
  const app = await createCredential(svc, 'app', 'auth-test', ['keys:verify']);
  const bouncer = await createCredential(svc, 'bouncer', 'fw');
  assert.equal((await authenticate(svc, 'app', app.secret))?.id, app.record.id);
  assert.equal(await authenticate(svc, 'bouncer', app.secret), undefined);
  assert.equal(await authenticate(svc, 'app', bouncer.secret), undefined);
  assert.equal((await authenticate(svc, 'bouncer', bouncer.secret))?.id, bouncer.record.id);
  assert.equal(await authenticate(svc, 'app', `${app.secret} `), undefined);
  const first = (await svc.store.serveCredentials.byName('app', 'auth-test'))?.lastUsedAt;
  assert.equal(first, now);
  now += 30_000;
  await authenticate(svc, 'app', app.secret);
  assert.equal((await svc.store.serveCredentials.byName('app', 'auth-test'))?.lastUsedAt, first, 'not within the minute');
  now += 31_000;
  await authenticate(svc, 'app', app.secret);
  assert.equal((await svc.store.serveCredentials.byName('app', 'auth-test'))?.lastUsedAt, now);
  assert.equal((await revokeToken(svc, 'auth-test')).changed, true);
  assert.equal((await revokeToken(svc, 'auth-test')).changed, false);
  assert.equal(await authenticate(svc, 'app', app.secret), undefined, 'revoked');
  await deleteBouncer(svc, 'fw');
  assert.equal(await authenticate(svc, 'bouncer', bouncer.secret), undefined, 'deleted');
  await assert.rejects(deleteBouncer(svc, 'fw'), usage(/no bouncer named 'fw'/));
  await assert.rejects(revokeToken(svc, 'nope'), usage(/no app token named 'nope'/));
});

test('credentials: every create, revoke and delete is audited, with no secret in the chain', async () => {
  const a = await createCredential(svc, 'app', 'audited', ['audit:append']);
  const b = await createCredential(svc, 'bouncer', 'audited');
  await revokeToken(svc, 'audited');
  await deleteBouncer(svc, 'audited');
  const log = await cli(home, ['--json', 'audit', 'log']);
  const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data?: { name?: string } }).filter((e) => e.data?.name === 'audited');
  assert.deepEqual(entries.map((e) => e.type), ['serve.token.create', 'serve.bouncer.add', 'serve.token.revoke', 'serve.bouncer.delete']);
  for (const s of [a.secret, b.secret]) assert.ok(!log.stdout.includes(s) && !log.stdout.includes(s.slice(7, 40)));
});
