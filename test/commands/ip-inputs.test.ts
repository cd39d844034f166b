import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentsecError, closeAgentsec, closeTotpStores, isBlocked, recordFailure, verifyApiKey, verifyTotp } from '../../src/index.js';
import { closeApiKeyStores } from '../../src/lib/verify-api-key.js';
import { HOSTILE_IPS } from '../support/hostile-ips.js';
import { cli, initHome } from './keys/helpers.js';

let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(async () => {
  await closeAgentsec();
  await closeApiKeyStores();
  await closeTotpStores();
  cleanup();
});

/** Every command that takes an IP, with the hostile value in its place. */
const COMMANDS: ReadonlyArray<(ip: string) => string[]> = [
  (ip) => ['blocks', 'add', '--', ip],
  (ip) => ['blocks', 'remove', '--', ip],
  (ip) => ['blocks', 'check', '--', ip],
  (ip) => ['blocks', 'record', '--', ip],
  (ip) => ['keys', 'issue', '--name', 'n', '--allow-ip', ip],
  (ip) => ['keys', 'verify', '--ip', ip],
  (ip) => ['totp', 'verify', 'alice', '--code', '123456', '--ip', ip],
];

test('every command refuses every hostile IP input: exit 2, one line naming the input, nothing stored', async () => {
  for (const [input] of HOSTILE_IPS) {
    for (const args of COMMANDS) {
      const argv = args(input);
      const r = await cli(home, argv, { stdin: 'ask_not_a_key' });
      const what = `${argv.join(' ')} (${JSON.stringify(input)})`;
      assert.equal(r.code, 2, `${what}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, what);
      assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
    }
  }
  const list = await cli(home, ['--json', 'blocks', 'list', '--all']);
  assert.deepEqual((JSON.parse(list.stdout) as { blocks: unknown[] }).blocks, []);
});

test('every library call refuses every hostile IP input with a usage error', async () => {
  const calls: ReadonlyArray<(ip: string) => Promise<unknown>> = [
    (ip) => isBlocked(ip, { home }),
    (ip) => recordFailure(ip, 'auth', { home }),
    (ip) => verifyApiKey('ask_not_a_key', { home, ip }),
    (ip) => verifyTotp('alice', '123456', { home, ip }),
  ];
  for (const [input] of HOSTILE_IPS) {
    for (const [i, call] of calls.entries()) {
      await assert.rejects(call(input), (err: unknown) => err instanceof AgentsecError && err.exitCode === 2 && !err.message.includes('\n'), `call ${i} (${JSON.stringify(input)})`);
    }
  }
});

test('one address, however it is spelled, is one block everywhere: mapped IPv6 folds to IPv4 in add, check and isBlocked', async () => {
  assert.equal((await cli(home, ['blocks', 'add', '::ffff:198.51.100.7'])).code, 0);
  assert.equal((await cli(home, ['blocks', 'check', '198.51.100.7'])).code, 1);
  assert.equal((await cli(home, ['blocks', 'check', '[::ffff:c633:6407]'])).code, 1);
  assert.equal((await isBlocked('::FFFF:198.51.100.7', { home })).blocked, true);
  const list = JSON.parse((await cli(home, ['--json', 'blocks', 'list'])).stdout) as { blocks: Array<{ value: string }> };
  assert.deepEqual(list.blocks.map((b) => b.value), ['198.51.100.7']);
  assert.equal((await cli(home, ['blocks', 'remove', '198.51.100.7'])).code, 0);
});
