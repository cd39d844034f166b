import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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

  it('cross-file on a real tree: the compose file alone, its nginx conf.d globs and Traefik dynamic files read from disk', () => {
    const t = tempDir();
    try {
      mkdirSync(join(t.dir, 'nginx', 'sites'), { recursive: true });
      mkdirSync(join(t.dir, 'traefik', 'dynamic'), { recursive: true });
      writeFileSync(
        join(t.dir, 'compose.yaml'),
        'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - "--log.level=DEBUG"\n    volumes:\n      - ./traefik/dynamic:/etc/traefik/dynamic:ro\n  agent:\n    image: acme/agent:1\n    ports:\n      - "8000:8000"\n    labels:\n      - traefik.http.routers.agent.rule=PathPrefix(`/mcp`)\n      - traefik.http.routers.agent.middlewares=gate@file\n  memory:\n    image: acme/store:1\n    ports:\n      - "9100:9100"\n',
      );
      writeFileSync(join(t.dir, 'traefik', 'dynamic', 'mw.yml'), 'http:\n  middlewares:\n    gate:\n      basicAuth:\n        users:\n          - "a:$apr1$x"\n');
      writeFileSync(join(t.dir, 'nginx', 'nginx.conf'), 'http {\n  include sites/*.conf;\n}\n');
      writeFileSync(join(t.dir, 'nginx', 'sites', 'memory.conf'), 'server {\n  location / { proxy_pass http://memory:9100; }\n}\n');
      const r = runCli(['lint', join(t.dir, 'compose.yaml'), '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const got = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number; message: string }> }).findings.filter((f) => /proxy-bypass|debug-mode|unprotected-agent-router/.test(f.ruleId));
      assert.deepEqual(
        got.map((f) => `${f.ruleId}@${f.line}`),
        ['agent/debug-mode@5', 'agent/proxy-bypass@11', 'traefik/unprotected-agent-router@13', 'agent/proxy-bypass@18'],
      );
      // gate@file is basicAuth in the mounted dynamic file: the router lacks only a rate limit (medium, not high).
      assert.match(got[2]?.message ?? '', /without a rate limit$/);
      assert.match(got[3]?.message ?? '', /nginx \(.*nginx\/sites\/memory\.conf\)/);
    } finally {
      t.cleanup();
    }
  });

  it('reads .agentsec.yaml through the built binary (failOn: medium turns a medium finding into exit 1)', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, '.env'), 'DEBUG=true\n');
      assert.equal(runCli(['lint', '.'], { cwd: t.dir }).code, 0);
      writeFileSync(join(t.dir, '.agentsec.yaml'), 'failOn: medium\n');
      const r = runCli(['lint', '.'], { cwd: t.dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /agent\/debug-mode/);
    } finally {
      t.cleanup();
    }
  });

  it('never blocks on a FIFO: as a linted file (a note, exit 3) or as a neighbour (env_file, include: skipped)', () => {
    const t = tempDir();
    try {
      execFileSync('mkfifo', [join(t.dir, 'agent.env'), join(t.dir, 'docker-compose.yml'), join(t.dir, 'more.conf')]);
      mkdirSync(join(t.dir, 'app'));
      writeFileSync(join(t.dir, 'app', 'compose.yaml'), 'services:\n  api:\n    image: acme/api:1\n    env_file: ../agent.env\n');
      writeFileSync(join(t.dir, 'app', 'nginx.conf'), 'http {\n  server_tokens off;\n  include ../more.conf;\n}\n');
      // Walking the tree: the FIFO named like a compose file is not a file to lint; the neighbours are skipped.
      const r = runCli(['lint', t.dir, '--format', 'json'], { timeout: 20_000 });
      assert.equal(r.code, 0, r.stderr);
      const files = (JSON.parse(r.stdout) as { files: string[] }).files.map((f) => f.split('/').pop());
      assert.deepEqual(files.sort(), ['compose.yaml', 'nginx.conf']);
      // Named on the command line: a note and exit 3 (the run did not check everything it was asked to).
      const named = runCli(['lint', join(t.dir, 'docker-compose.yml'), join(t.dir, 'app', 'compose.yaml')], { timeout: 20_000 });
      assert.equal(named.code, 3, named.stderr);
      assert.match(named.stderr, /docker-compose\.yml: not found or not a regular file/);
    } finally {
      t.cleanup();
    }
  });
});
