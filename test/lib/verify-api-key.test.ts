import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { closeBlockStores, isBlocked, verifyApiKey } from '../../src/index.js';
import { closeApiKeyStores } from '../../src/lib/verify-api-key.js';
import { generateApiKey } from '../../src/core/apikeys/format.js';
import { AgentsecError } from '../../src/core/errors.js';
import { cli, initHome, issue } from '../commands/keys/helpers.js';
import { tempDir } from '../support/cli.js';

after(async () => {
  await closeApiKeyStores();
  await closeBlockStores();
});

test('library: same codes as the CLI, and sees revocations made by the CLI', async () => {
  const { home, cleanup } = await initHome();
  try {
    const k = await issue(home, ['--role', 'operator', '--allow-ip', '10.0.0.0/8', '--expires', '1h']);
    const ok = await verifyApiKey(k.key, { home, ip: '::ffff:10.0.0.1', scopes: ['message:inject'] });
    assert.equal(ok.code, 'VALID');
    assert.equal(ok.valid, true);
    assert.equal(ok.key?.id, k.id);
    assert.equal(ok.key?.role, 'operator');
    assert.equal((await verifyApiKey(k.key, { home, ip: '11.0.0.1' })).code, 'FORBIDDEN_IP');
    assert.equal((await verifyApiKey(k.key, { home })).code, 'FORBIDDEN_IP');
    assert.equal((await verifyApiKey(k.key, { home, ip: '10.0.0.1', scopes: ['agent:control'] })).code, 'INSUFFICIENT_SCOPE');
    assert.equal((await verifyApiKey(k.key, { home, ip: '10.0.0.1', now: new Date(Date.now() + 2 * 3_600_000) })).code, 'EXPIRED');
    assert.equal((await verifyApiKey(`${k.key} `, { home })).code, 'MALFORMED');
    assert.equal((await verifyApiKey('Bearer nonsense', { home })).code, 'MALFORMED');
    assert.equal((await verifyApiKey(k.key.slice(0, -1) + (k.key.endsWith('a') ? 'b' : 'a'), { home })).code, 'MALFORMED');
    assert.equal((await verifyApiKey(generateApiKey('ask', (n) => randomBytes(n)), { home })).code, 'NOT_FOUND');
    assert.equal((await cli(home, ['keys', 'revoke', k.id, '--yes'])).code, 0);
    assert.equal((await verifyApiKey(k.key, { home, ip: '10.0.0.1' })).code, 'REVOKED');
  } finally {
    await closeApiKeyStores();
    cleanup();
  }
});

test('library: caller mistakes throw; a home that is not initialised yet is retried', async () => {
  const t = tempDir();
  try {
    const home = join(t.dir, 'later');
    const key = generateApiKey('ask', (n) => randomBytes(n));
    await assert.rejects(verifyApiKey(key, { home, ip: 'not-an-ip' }), (e: unknown) => e instanceof AgentsecError && /ip 'not-an-ip' is not/.test(e.message));
    await assert.rejects(verifyApiKey(key, { home, scopes: ['bad'] }), (e: unknown) => e instanceof AgentsecError && /scope 'bad'/.test(e.message));
    await assert.rejects(verifyApiKey(key, { home }), (e: unknown) => e instanceof AgentsecError && /run agentsec init/.test(e.message));
    assert.equal((await cli(home, ['init'])).code, 0);
    const k = await issue(home);
    assert.equal((await verifyApiKey(k.key, { home })).code, 'VALID');
  } finally {
    await closeApiKeyStores();
    t.cleanup();
  }
});

test('library: with ip, failures feed the blocks policy like keys verify --ip; recordFailure: false opts out', async () => {
  const { home, cleanup } = await initHome();
  try {
    const k = await issue(home, ['--role', 'viewer']);
    const stranger = generateApiKey('ask', (n) => randomBytes(n));
    // Scope refusals are the caller's authorisation, not a guess: never counted.
    const scope = await verifyApiKey(k.key, { home, ip: '198.51.100.7', scopes: ['agent:control'] });
    assert.equal(scope.code, 'INSUFFICIENT_SCOPE');
    assert.equal(scope.blocks, undefined);
    // Opted out: not counted either.
    for (let i = 0; i < 6; i++) assert.equal((await verifyApiKey(stranger, { home, ip: '198.51.100.7', recordFailure: false })).blocks, undefined);
    assert.deepEqual(await isBlocked('198.51.100.7', { home }), { blocked: false, block: null });
    // The default policy blocks at the fifth failure within 10 minutes; MALFORMED keys count too.
    const outcomes: unknown[] = [];
    for (let i = 0; i < 4; i++) outcomes.push((await verifyApiKey(stranger, { home, ip: '198.51.100.7' })).blocks?.outcome);
    const fifth = await verifyApiKey('not-a-key', { home, ip: '198.51.100.7' });
    outcomes.push(fifth.blocks?.outcome);
    assert.deepEqual(outcomes, ['counted', 'counted', 'counted', 'counted', 'blocked']);
    assert.equal(fifth.code, 'MALFORMED');
    assert.equal((await isBlocked('198.51.100.7', { home })).blocked, true);
    // A valid key from elsewhere is not counted and carries no blocks field.
    assert.equal((await verifyApiKey(k.key, { home, ip: '203.0.113.9' })).blocks, undefined);
    const list = await cli(home, ['blocks', 'list', '--json']);
    assert.match(list.stdout, /198\.51\.100\.7/);
  } finally {
    await closeApiKeyStores();
    await closeBlockStores();
    cleanup();
  }
});
