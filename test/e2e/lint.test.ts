import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

describe('agentsec lint (e2e)', () => {
  it('the README quickstart: the insecure example fails with findings of every kind', () => {
    const r = runCli(['lint', 'examples/insecure-agent']);
    assert.equal(r.code, 1, r.stderr);
    for (const id of ['agent/default-secret', 'agent/auth-disabled', 'agent/llm-key-in-config', 'agent/port-exposed', 'compose/docker-socket', 'compose/privileged', 'dockerfile/root-user', 'dockerfile/curl-pipe-shell', 'agent/tls-disabled']) {
      assert.ok(r.stdout.includes(` ${id} `), `${id} missing`);
    }
    assert.match(r.stderr, /\d+ findings \(.*critical.*\) in 4 files/);
    assert.ok(!r.stdout.includes('sk-proj-EXAMPLE'), 'a secret value leaked into the output');
  });

  it('the hardened twin is clean, also under the strict profile', () => {
    for (const args of [['lint', 'examples/hardened-agent'], ['lint', 'examples/hardened-agent', '--profile', 'strict', '--fail-on', 'low']]) {
      const r = runCli(args);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
    }
  });

  it('fails closed on a parse error, with one line on stderr and no stack trace', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'Dockerfile'), 'FROM node:22\nFROBNICATE now\n');
      const r = runCli(['lint', t.dir]);
      assert.equal(r.code, 2);
      assert.match(r.stdout, /Dockerfile:2:1 high dockerfile\/parse-error unknown instruction FROBNICATE/);
      assert.ok(!/\n\s+at /.test(r.stderr));
    } finally {
      t.cleanup();
    }
  });

  it('a missing path is a usage error', () => {
    const r = runCli(['lint', 'no/such/dir']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'agentsec: no such file or directory: no/such/dir\n');
  });

  it('an unreadable file is a note and exit 3, the rest still linted', (t) => {
    if (process.getuid?.() === 0) {
      t.skip('running as root: file permissions do not stop reads');
      return;
    }
    const d = tempDir();
    try {
      writeFileSync(join(d.dir, '.env'), 'DEBUG=true\n');
      writeFileSync(join(d.dir, 'Dockerfile'), 'FROM node:22\n');
      chmodSync(join(d.dir, 'Dockerfile'), 0o000);
      const r = runCli(['lint', d.dir]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /Dockerfile: cannot read: EACCES/);
      assert.match(r.stdout, /agent\/debug-mode/);
    } finally {
      d.cleanup();
    }
  });

  it('writes SARIF to a file and text to stdout', () => {
    const t = tempDir();
    try {
      const out = join(t.dir, 'r.sarif');
      const r = runCli(['lint', 'examples/insecure-agent', '--format', 'sarif', '--output', out, '--format', 'text']);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /compose\/privileged/);
      const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: unknown[] }> };
      assert.ok((log.runs[0]?.results.length ?? 0) > 50);
    } finally {
      t.cleanup();
    }
  });
});
