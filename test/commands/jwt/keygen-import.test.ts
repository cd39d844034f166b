import assert from 'node:assert/strict';
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { cli, initHome } from '../keys/helpers.js';

let home: string;
let cleanup: () => void;
beforeEach(async () => ({ home, cleanup } = await initHome()));
afterEach(() => cleanup());

async function keyCount(): Promise<number> {
  return (JSON.parse((await cli(home, ['--json', 'jwt', 'keys'])).stdout) as { keys: unknown[] }).keys.length;
}

function secretFile(name: string, content: string | Buffer): string {
  const file = `${home}/../${name}`;
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

describe('jwt keygen --alg HS256 --secret-file', () => {
  // Each is at least 32 bytes, so only the check `secret check` makes can refuse it.
  const weak: Array<[string, string, RegExp]> = [
    ['a template default', 'your-super-secret-jwt-key-change-in-production\n', /a known template\/default value/],
    ['a vendor default', 'super-secret-jwt-token-with-at-least-32-characters-long', /a known template\/default value/],
    ['a placeholder', 'replace-me-with-a-long-random-string-of-your-own', /a known template\/default value/],
    ['one repeated character', 'a'.repeat(48), /low estimated entropy/],
    ['a short cycle', 'abab'.repeat(12), /low estimated entropy/],
  ];
  for (const [what, value, reason] of weak) {
    test(`refuses ${what}, as secret check does, unless --allow-weak`, async () => {
      const check = await cli(home, ['secret', 'check'], { stdin: value.replace(/\n$/, '') });
      assert.equal(check.code, 1, 'secret check calls it weak too');
      const file = secretFile('weak.secret', value);
      const r = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', file]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, reason);
      assert.match(r.stderr, /the secret is weak .*: generate one with agentsec jwt keygen --alg HS256, or pass --allow-weak$/m);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.ok(!r.stderr.includes(value.trim()) && !r.stdout.includes(value.trim()), 'the secret is never printed');
      assert.equal(await keyCount(), 0, 'nothing imported');
      const forced = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', file, '--allow-weak']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(await keyCount(), 1);
    });
  }

  test('--allow-weak does not lift the 32-byte floor, and needs --secret-file', async () => {
    const file = secretFile('short.secret', 'Kp3xR9vT2mQ7wZ4n');
    const r = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', file, '--allow-weak']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /shorter than 32 bytes/);
    const alone = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--allow-weak']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--allow-weak applies to --secret-file only/);
    assert.equal(await keyCount(), 0);
  });

  test('imports a strong text or binary secret and says "imported", not "generated"', async () => {
    for (const [name, content] of [
      ['text.secret', 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA-interop\n'],
      ['binary.secret', Buffer.from('9f3c1be07a5d2e8841c6f0b3a97d5e2c0b8f41a6d3e7c25901fe8b4a6c3d7e10', 'hex')],
    ] as const) {
      const file = secretFile(name, content);
      const r = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`imported HS256 key hs-\\S+ from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; it now signs new tokens`));
      assert.doesNotMatch(r.stderr, /generated/);
    }
    const gen = await cli(home, ['jwt', 'keygen', '--alg', 'HS256']);
    assert.match(gen.stderr, /generated HS256 key/);
  });

  test('reads the file named only: no symlink out of its directory, no second hard link', async () => {
    const strong = secretFile('strong.secret', 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA-interop');
    mkdirSync(`${home}/../app`);
    const link = `${home}/../app/jwt.secret`;
    symlinkSync(strong, link);
    const viaLink = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', link]);
    assert.equal(viaLink.code, 2);
    assert.match(viaLink.stderr, /is a symlink pointing outside its directory/);
    linkSync(strong, `${home}/../second-name.secret`);
    const hard = await cli(home, ['jwt', 'keygen', '--alg', 'HS256', '--secret-file', strong]);
    assert.equal(hard.code, 2);
    assert.match(hard.stderr, /more than one hard link/);
    assert.equal(await keyCount(), 0);
  });
});
