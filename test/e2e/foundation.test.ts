import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { spawn } from 'node:child_process';
import { BIN, ROOT, runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let n = 0;
const newHome = () => join(tmp.dir, `home-${++n}`);
const ANSI = /\u001b\[/;

function assertOneLineError(r: { code: number; stdout: string; stderr: string }, code: number, pattern?: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0] as string, /^agentsec: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  if (pattern) assert.match(r.stderr, pattern);
}

test('init creates a private home, key and store; a second run changes nothing and says so', () => {
  const home = newHome();
  const first = runCli(['--home', home, 'init']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /created master key/);
  assert.equal(statSync(home).mode & 0o777, 0o700);
  assert.equal(statSync(join(home, 'master.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, 'master.key')).size, 32);
  assert.equal(statSync(join(home, 'agentsec.db')).mode & 0o777, 0o600);
  const key = readFileSync(join(home, 'master.key'));
  const second = runCli(['--home', home, 'init']);
  assert.equal(second.code, 0);
  assert.match(second.stderr, /already initialised .* nothing changed/);
  assert.deepEqual(readFileSync(join(home, 'master.key')), key, 'the master key is never replaced');
  const json = runCli(['--home', home, 'init', '--json']);
  const doc = JSON.parse(json.stdout) as { schemaVersion: number; changed: string[]; initialized: boolean };
  assert.equal(doc.schemaVersion, 1);
  assert.deepEqual(doc.changed, []);
  assert.equal(doc.initialized, false);
});

test('AGENTSEC_HOME is used when --home is absent', () => {
  const home = newHome();
  const r = runCli(['init', '--json'], { env: { AGENTSEC_HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { home: string }).home, home);
});

test('init refuses a home or key file that others can read (exit 2, one-line fix)', () => {
  const home = newHome();
  assert.equal(runCli(['--home', home, 'init']).code, 0);
  chmodSync(home, 0o755);
  assertOneLineError(runCli(['--home', home, 'init']), 2, /chmod 700/);
  chmodSync(home, 0o700);
  chmodSync(join(home, 'master.key'), 0o644);
  assertOneLineError(runCli(['--home', home, 'init']), 2, /chmod 600 .*master\.key/);
});

test('doctor: healthy home exits 0 with --json; a wrong mode or a corrupt store exits 1', () => {
  const home = newHome();
  runCli(['--home', home, 'init']);
  const ok = runCli(['--home', home, 'doctor', '--json']);
  assert.equal(ok.code, 0, ok.stdout);
  const report = JSON.parse(ok.stdout) as { ok: boolean; storeSchemaVersion: number; checks: Array<{ name: string; status: string }> };
  assert.equal(report.ok, true);
  assert.ok(report.storeSchemaVersion >= 1);
  assert.ok(report.checks.some((c) => c.name === 'integrity' && c.status === 'ok'));
  assert.ok(report.checks.some((c) => c.name === 'master key' && c.status === 'ok'));

  chmodSync(join(home, 'master.key'), 0o640);
  const badMode = runCli(['--home', home, 'doctor', '--json']);
  assert.equal(badMode.code, 1);
  const bm = JSON.parse(badMode.stdout) as { checks: Array<{ name: string; status: string; detail: string }> };
  assert.ok(bm.checks.some((c) => c.name.endsWith('master.key') && c.status === 'fail' && c.detail.includes('chmod 600')));
  chmodSync(join(home, 'master.key'), 0o600);

  const db = join(home, 'agentsec.db');
  const bytes = readFileSync(db);
  bytes.write('this is not a sqlite database!!', 0);
  writeFileSync(db, bytes);
  const corrupt = runCli(['--home', home, 'doctor']);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stdout, /fail\tstore\t.*corrupt/);
});

test('doctor on a missing home says to run init', () => {
  const r = runCli(['--home', join(tmp.dir, 'nope'), 'doctor']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /run agentsec init/);
});

test('passphrase mode: the key is derived, never written; a wrong passphrase is refused', () => {
  const home = newHome();
  const env = { AGENTSEC_PASSPHRASE: 'correct horse battery staple' };
  const r = runCli(['--home', home, 'init'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.throws(() => statSync(join(home, 'master.key')));
  assert.equal(statSync(join(home, 'master.salt')).mode & 0o777, 0o600);
  assert.ok(!readFileSync(join(home, 'master.salt'), 'utf8').includes('correct horse'));
  assert.equal(runCli(['--home', home, 'doctor'], { env }).code, 0);
  const wrong = runCli(['--home', home, 'doctor', '--json'], { env: { AGENTSEC_PASSPHRASE: 'wrong passphrase here' } });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /wrong AGENTSEC_PASSPHRASE/);
  assert.doesNotMatch(wrong.stdout + wrong.stderr, /wrong passphrase here|correct horse/);
  assertOneLineError(runCli(['--home', home, 'init'], { env: { AGENTSEC_PASSPHRASE: 'wrong passphrase here' } }), 2, /wrong AGENTSEC_PASSPHRASE/);
});

test('an unknown command and a bad flag: exit 2, one line on stderr, empty stdout', () => {
  assertOneLineError(runCli(['frobnicate']), 2, /unknown command 'frobnicate'/);
  assertOneLineError(runCli(['doctor', '--frob']), 2, /unknown option '--frob'/);
  assertOneLineError(runCli(['completion', 'tcsh']), 2, /invalid/);
  assertOneLineError(runCli(['help', 'nonsense']), 2, /no help topic/);
});

test('--version, --help and help exit-codes', () => {
  const v = runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  const h = runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Usage: agentsec/);
  const ec = runCli(['help', 'exit-codes', '--json']);
  assert.equal(ec.code, 0);
  const codes = (JSON.parse(ec.stdout) as { exitCodes: Array<{ code: number }> }).exitCodes.map((e) => e.code);
  assert.deepEqual(codes, [0, 1, 2, 3, 130]);
});

test('no ANSI codes when piped, even for tables; FORCE_COLOR turns them on', () => {
  const home = newHome();
  runCli(['--home', home, 'init']);
  const piped = runCli(['--home', home, 'doctor']);
  assert.doesNotMatch(piped.stdout + piped.stderr, ANSI);
  const forced = runCli(['--home', home, 'doctor', 'x'], { env: { FORCE_COLOR: '1' } });
  assert.equal(forced.code, 2);
  const initForced = runCli(['--home', newHome(), 'init'], { env: { FORCE_COLOR: '1' } });
  assert.match(initForced.stderr, ANSI);
  const noColor = runCli(['--home', newHome(), 'init', '--no-color'], { env: { FORCE_COLOR: '1' } });
  assert.doesNotMatch(noColor.stderr, ANSI);
});

test('a large --json output arrives whole through a pipe', () => {
  const home = newHome();
  runCli(['--home', home, 'init']);
  for (let i = 0; i < 3000; i++) writeFileSync(join(home, `file-with-a-rather-long-name-${i}.tmp`), '', { mode: 0o600 });
  const r = runCli(['--home', home, 'doctor', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.length > 300_000, `expected a large document, got ${r.stdout.length} bytes`);
  const doc = JSON.parse(r.stdout) as { checks: unknown[] };
  assert.ok(doc.checks.length > 3000);
});

test('completion prints a script for each shell', () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = runCli(['completion', shell]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /agentsec/);
  }
});

test('a reader that closes the pipe early (`agentsec lint … | head`) ends the command quietly, no stack trace', async () => {
  const child = spawn(process.execPath, [BIN, 'lint', 'examples/insecure-agent', '--format', 'sarif'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  // Close our end before the first byte arrives: every write of the child then fails with EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  assert.doesNotMatch(stderr, /\n\s+at |Unhandled|EPIPE/, stderr);
  // The findings still decide the exit code (1: at or above --fail-on), as they would with the whole output read.
  assert.equal(code, 1, stderr);
});
