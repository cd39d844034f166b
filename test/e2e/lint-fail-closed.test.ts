import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gitIgnored } from '../../src/platform/walk.js';
import { runCli, tempDir } from '../support/cli.js';

const STRONG = '9f2c7d1e8b4a6c3f0e5d7b9a1c2e4f6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d8f';
const hasGit = spawnSync('git', ['--version']).status === 0;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
}

/** What `git check-ignore` says of a path (exit 0: ignored, 1: not). */
function checkIgnore(dir: string, path: string): boolean {
  return spawnSync('git', ['-C', dir, 'check-ignore', '-q', path], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } }).status === 0;
}

describe('agentsec lint never passes silently (e2e)', () => {
  it('a named file it cannot lint: a note on stderr, notes[] in JSON, exit 2; --allow-skipped lets the run pass', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'README.md'), '# hello\n');
      writeFileSync(join(t.dir, 'compose.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('services:\n  a:\n    image: x:1\n    privileged: true\n', 'utf16le')]));
      const r = runCli(['lint', 'README.md', 'compose.yaml'], { cwd: t.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /README\.md: not linted: not a file agentsec lint reads .* \(pass --allow-skipped to let the run pass without it\)/);
      assert.match(r.stderr, /compose\.yaml: not linted: UTF-16 encoded/);
      assert.match(r.stderr, /no findings in 0 files, 2 skipped \(not linted\)/);
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
      const json = runCli(['lint', 'README.md', 'compose.yaml', '--format', 'json'], { cwd: t.dir });
      const doc = JSON.parse(json.stdout) as { summary: { skipped: number }; notes: Array<{ file: string; kind: string }> };
      assert.equal(json.code, 2);
      assert.equal(doc.summary.skipped, 2);
      assert.deepEqual(doc.notes.map((n) => `${n.file} ${n.kind}`), ['README.md skipped', 'compose.yaml skipped']);
      const sarif = runCli(['lint', 'README.md', '--format', 'sarif'], { cwd: t.dir });
      const inv = (JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string }> }> }> }).runs[0]?.invocations[0];
      assert.deepEqual([sarif.code, inv?.executionSuccessful, inv?.toolExecutionNotifications.map((n) => n.level)], [2, false, ['error']]);
      const allowed = runCli(['lint', 'README.md', 'compose.yaml', '--allow-skipped'], { cwd: t.dir });
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(allowed.stderr, /note: README\.md: not linted/);
    } finally {
      t.cleanup();
    }
  });

  it('a walk skips such files quietly but counts them', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'README.md'), '# hello\n');
      writeFileSync(join(t.dir, '.env'), Buffer.from('WEBUI_AUTH=False\n', 'utf16le'));
      writeFileSync(join(t.dir, 'Dockerfile'), 'FROM node:22.11-slim\nUSER node\nHEALTHCHECK CMD true\n');
      const r = runCli(['lint', '.'], { cwd: t.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, 'no findings in 1 file, 1 skipped (not linted)\n');
    } finally {
      t.cleanup();
    }
  });

  it('gitIgnored() agrees with git check-ignore', (t) => {
    if (!hasGit) {
      t.skip('git is not installed: cannot compare with git check-ignore');
      return;
    }
    const d = tempDir();
    try {
      git(d.dir, 'init', '-q');
      mkdirSync(join(d.dir, 'deploy', 'secrets'), { recursive: true });
      mkdirSync(join(d.dir, 'build'), { recursive: true });
      writeFileSync(join(d.dir, '.gitignore'), '.env\n*.local\nbuild/\n');
      writeFileSync(join(d.dir, 'deploy', '.gitignore'), '!keep.local\nsecrets/*\n!secrets/README\n');
      writeFileSync(join(d.dir, '.git', 'info', 'exclude'), 'private.env\n');
      const paths = ['.env', 'deploy/.env', 'a.local', 'deploy/keep.local', 'deploy/x.local', 'build/compose.yaml', 'deploy/secrets/db', 'deploy/secrets/README', 'private.env', 'deploy/private.env', 'compose.yaml', 'deploy/compose.yaml'];
      for (const p of paths) writeFileSync(join(d.dir, p), 'x\n');
      for (const p of paths) assert.equal(gitIgnored(join(d.dir, p)).ignored, checkIgnore(d.dir, p), p);
      assert.equal(gitIgnored(join(d.dir, '.env')).repo, true);
    } finally {
      d.cleanup();
    }
  });

  it('a git-ignored .env: walked and checked by every rule, never reported as committed (named or walked)', (t) => {
    if (!hasGit) {
      t.skip('git is not installed: cannot check against git check-ignore');
      return;
    }
    const d = tempDir();
    try {
      git(d.dir, 'init', '-q');
      writeFileSync(join(d.dir, '.gitignore'), '.env\n');
      writeFileSync(join(d.dir, '.env'), `SSL_ENABLED=false\nCORS_ALLOWED_ORIGINS=*\nJWT_SECRET=${STRONG}\n`);
      assert.equal(checkIgnore(d.dir, '.env'), true);
      for (const args of [['lint', '.'], ['lint', '.env']]) {
        const r = runCli([...args, '--format', 'json'], { cwd: d.dir });
        const ids = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId).sort();
        assert.deepEqual(ids, ['agent/tls-disabled', 'agent/unbounded-request-size', 'agent/wildcard-cors'], args.join(' '));
      }
      // Once git stops ignoring it, the same file is a committed .env with a secret.
      writeFileSync(join(d.dir, '.gitignore'), '');
      assert.equal(checkIgnore(d.dir, '.env'), false);
      const r = runCli(['lint', '.env', '--format', 'json'], { cwd: d.dir });
      assert.ok((JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.some((f) => f.ruleId === 'env/committed-secrets'));
      assert.ok(!r.stdout.includes(STRONG) && !r.stderr.includes(STRONG), 'the secret value leaked');
    } finally {
      d.cleanup();
    }
  });

  it('Docker secrets files: weak values and files git does not ignore are reported, the value never printed', (t) => {
    if (!hasGit) {
      t.skip('git is not installed: cannot tell a committed file');
      return;
    }
    const d = tempDir();
    try {
      git(d.dir, 'init', '-q');
      mkdirSync(join(d.dir, 'secrets'));
      writeFileSync(join(d.dir, 'compose.yaml'), 'services:\n  db:\n    image: postgres:17\n    secrets: [db_password, jwt_secret]\nsecrets:\n  db_password:\n    file: ./secrets/db_password\n  jwt_secret:\n    file: ./secrets/jwt_secret\n');
      writeFileSync(join(d.dir, 'secrets', 'db_password'), 'postgres\n');
      writeFileSync(join(d.dir, 'secrets', 'jwt_secret'), `${STRONG}\n`);
      const find = (): string[] => {
        const r = runCli(['lint', 'compose.yaml', '--format', 'json'], { cwd: d.dir });
        assert.ok(!r.stdout.includes(STRONG) && !r.stdout.includes('"postgres"'), 'a secret value leaked');
        return (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number }> }).findings.filter((f) => /default-secret|secret-file-committed/.test(f.ruleId)).map((f) => `${f.ruleId}@${f.line}`);
      };
      assert.deepEqual(find(), ['agent/default-secret@7', 'compose/secret-file-committed@7', 'compose/secret-file-committed@9']);
      writeFileSync(join(d.dir, '.gitignore'), 'secrets/\n');
      assert.deepEqual(find(), ['agent/default-secret@7']);
      assert.equal(readFileSync(join(d.dir, 'secrets', 'db_password'), 'utf8'), 'postgres\n');
    } finally {
      d.cleanup();
    }
  });
});
