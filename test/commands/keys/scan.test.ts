import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../../../src/core/apikeys/format.js';
import { tempDir } from '../../support/cli.js';
import { cli, initHome, issue } from './helpers.js';

interface ScanDoc {
  findings: Array<{ file: string; line: number; column: number; key: string; id: string | null; status: string }>;
  active: number;
}

test('scan reports file:line, status per key, exit 1 when one is active', async () => {
  const { home, cleanup } = await initHome();
  const t = tempDir();
  try {
    const active = await issue(home);
    const revoked = await issue(home);
    await cli(home, ['keys', 'revoke', revoked.id, '--yes']);
    const foreign = generateApiKey('ask', (n) => randomBytes(n));
    const typo = `${active.key.slice(0, -1)}${active.key.endsWith('x') ? 'y' : 'x'}`;
    mkdirSync(join(t.dir, 'src', 'deep'), { recursive: true });
    mkdirSync(join(t.dir, 'node_modules'));
    mkdirSync(join(t.dir, '.git'));
    writeFileSync(join(t.dir, '.env'), `# config\nAGENT_KEY=${active.key}\nOTHER=${typo}\n`);
    writeFileSync(join(t.dir, 'src', 'deep', 'a.ts'), `const k = "${revoked.key}";\nconst f = '${foreign}';\n`);
    writeFileSync(join(t.dir, 'node_modules', 'x.js'), active.key);
    writeFileSync(join(t.dir, '.git', 'x'), active.key);
    symlinkSync(t.dir, join(t.dir, 'src', 'loop'));
    const r = await cli(home, ['--json', 'keys', 'scan', t.dir]);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as ScanDoc;
    assert.deepEqual(
      doc.findings.map((f) => [f.file.slice(t.dir.length + 1), f.line, f.column, f.status, f.id]),
      [
        ['.env', 2, 11, 'active', active.id],
        [join('src', 'deep', 'a.ts'), 1, 12, 'revoked', revoked.id],
        [join('src', 'deep', 'a.ts'), 2, 12, 'not-found', null],
      ],
    );
    assert.equal(doc.active, 1);
    for (const k of [active.key, revoked.key, foreign]) assert.ok(!r.stdout.includes(k) && !r.stderr.includes(k), 'the report never repeats a key');
    assert.equal(doc.findings[0]!.key, `ask_…${active.key.slice(-4)}`);

    await cli(home, ['keys', 'revoke', active.id, '--yes']);
    const after = await cli(home, ['keys', 'scan', join(t.dir, '.env'), join(t.dir, 'src')]);
    assert.equal(after.code, 0, 'nothing active any more');
    assert.match(after.stdout, /\.env:2:11\task_…/);
    assert.match(after.stderr, /3 inactive API keys found/);
  } finally {
    t.cleanup();
    cleanup();
  }
});

test('scan of clean files exits 0; without a store found keys count as active', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'clean.txt'), 'no keys here\n');
    const clean = await cli(join(t.dir, 'nohome'), ['keys', 'scan', join(t.dir, 'clean.txt')]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.stdout, '');
    writeFileSync(join(t.dir, 'leak.txt'), generateApiKey('ask', (n) => randomBytes(n)));
    const leak = await cli(join(t.dir, 'nohome'), ['--json', 'keys', 'scan', t.dir]);
    assert.equal(leak.code, 1);
    assert.match(leak.stderr, /no agentsec store .*count as active/);
    assert.equal((JSON.parse(leak.stdout) as ScanDoc).findings[0]!.status, 'unknown');
  } finally {
    t.cleanup();
  }
});

test('scan bad input', async () => {
  const { home, cleanup } = await initHome();
  try {
    const missing = await cli(home, ['keys', 'scan', '/nonexistent/agentsec-path']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim(), 'agentsec: scan: /nonexistent/agentsec-path: no such file or directory');
    const none = await cli(home, ['keys', 'scan']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing required argument/);
  } finally {
    cleanup();
  }
});
