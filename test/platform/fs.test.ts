import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AgentsecError } from '../../src/core/errors.js';
import { assertPrivate, ensurePrivateDir, writeFileAtomic } from '../../src/platform/fs.js';
import { tempDir } from '../support/cli.js';

test('atomic write creates a 0600 file and replaces whole', () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'f');
    writeFileAtomic(p, 'one');
    assert.equal(readFileSync(p, 'utf8'), 'one');
    assert.equal(statSync(p).mode & 0o777, 0o600);
    writeFileAtomic(p, ['t', Buffer.from('wo')]);
    assert.equal(readFileSync(p, 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir), ['f'], 'no temp file left behind');
  } finally {
    cleanup();
  }
});

test('the old file survives a failure midway, and no temp file is left', () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'f');
    writeFileAtomic(p, 'old contents');
    function* failing(): Generator<string> {
      yield 'new contents, part 1';
      throw new Error('disk on fire');
    }
    assert.throws(() => writeFileAtomic(p, failing()), AgentsecError);
    assert.equal(readFileSync(p, 'utf8'), 'old contents');
    assert.deepEqual(readdirSync(dir), ['f']);
  } finally {
    cleanup();
  }
});

test('atomic write into a missing directory is a one-line user error', () => {
  assert.throws(() => writeFileAtomic('/nonexistent-dir-agentsec/x', 'a'), (e: unknown) => e instanceof AgentsecError && e.exitCode === 2 && /its directory \/nonexistent-dir-agentsec does not exist: create it first/.test(e.message));
});

test('a wider mode can be asked for (public files such as a JWKS)', () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'jwks.json');
    writeFileAtomic(p, '{}', { mode: 0o644 });
    assert.equal(statSync(p).mode & 0o777, 0o644);
  } finally {
    cleanup();
  }
});

test('private dir: created 0700; an existing open dir or file is refused with the chmod that fixes it', () => {
  const { dir, cleanup } = tempDir();
  try {
    const home = join(dir, 'a', 'home');
    assert.equal(ensurePrivateDir(home), true);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    assert.equal(ensurePrivateDir(home), false);
    chmodSync(home, 0o755);
    assert.throws(() => ensurePrivateDir(home), (e: unknown) => e instanceof AgentsecError && e.exitCode === 2 && e.message.includes(`chmod 700 ${home}`));
    const f = join(dir, 'key');
    writeFileSync(f, 'x', { mode: 0o644 });
    chmodSync(f, 0o644);
    assert.throws(() => assertPrivate(f, 'file'), /chmod 600/);
    chmodSync(f, 0o600);
    assertPrivate(f, 'file');
    const notDir = join(dir, 'plain');
    writeFileSync(notDir, '');
    assert.throws(() => ensurePrivateDir(notDir), /not a directory/);
    mkdirSync(join(dir, 'x'));
  } finally {
    cleanup();
  }
});
