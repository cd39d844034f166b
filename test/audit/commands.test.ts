import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
after(() => tmp.cleanup());
const home = join(tmp.dir, 'h');
let pubkey = '';

function oneLineError(r: { code: number; stdout: string; stderr: string }, code: number, re: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
}

test('init prints the epoch-0 public key; audit init prints the same key and changes nothing', () => {
  const init = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(init.code, 0, init.stderr);
  pubkey = init.stdout.trim();
  assert.match(pubkey, /^ed25519:[A-Za-z0-9+/]{43}=$/);
  const again = runCli(['--home', home, 'audit', 'init', '--json']);
  const doc = JSON.parse(again.stdout) as { created: boolean; publicKey: string; fingerprint: string };
  assert.equal(doc.created, false);
  assert.equal(doc.publicKey, pubkey);
  assert.match(doc.fingerprint, /^SHA256:/);
});

test('append, seal, log filters, status and export round-trip', () => {
  assert.equal(runCli(['--home', home, 'audit', 'append', '--type', 'app.deploy', '--data', '{"version":"1.2.3"}']).code, 0);
  const piped = runCli(['--home', home, 'audit', 'append', '--json'], { input: '{"type":"app.login","actor":{"user":"ana"}}\n\n{"type":"app.login","actor":{"user":"bob"}}\n' });
  assert.equal((JSON.parse(piped.stdout) as { appended: number }).appended, 2);
  const seal = runCli(['--home', home, 'audit', 'seal', '--json']);
  assert.equal((JSON.parse(seal.stdout) as { sealed: boolean }).sealed, true);
  assert.equal((JSON.parse(runCli(['--home', home, 'audit', 'seal', '--json']).stdout) as { sealed: boolean }).sealed, false, 'nothing due');
  const logins = runCli(['--home', home, 'audit', 'log', '--type', 'app.login', '--json']).stdout.trim().split('\n');
  assert.equal(logins.length, 2);
  const bob = runCli(['--home', home, 'audit', 'log', '--actor', 'bob', '--json']).stdout.trim().split('\n');
  assert.equal(bob.length, 1);
  assert.equal(runCli(['--home', home, 'audit', 'log', '--limit', '1', '--json']).stdout.trim().split('\n').length, 1);
  assert.equal(runCli(['--home', home, 'audit', 'log', '--since', '1h', '--json']).stdout.trim().split('\n').length, 4);
  assert.equal(runCli(['--home', home, 'audit', 'log', '--until', '2000-01-01', '--json']).stdout, '');
  const status = JSON.parse(runCli(['--home', home, 'audit', 'status', '--json']).stdout) as { entries: number; unsealed: number; signingKeyPresent: boolean; publicKey: string };
  assert.equal(status.entries, 4);
  assert.equal(status.unsealed, 0);
  assert.equal(status.signingKeyPresent, true);
  assert.equal(status.publicKey, pubkey);
  const verified = runCli(['--home', home, 'audit', 'verify', '--pubkey', pubkey]);
  assert.equal(verified.code, 0, verified.stderr);
  assert.match(verified.stderr, /verified .*4 entries, 4 sealed/);
  assert.deepEqual(readdirSync(join(home, 'audit-keys')), ['epoch-2.key'], 'only the current epoch key exists');
});

test('bad input: one-line errors, right exit codes, nothing appended', () => {
  const before = (JSON.parse(runCli(['--home', home, 'audit', 'status', '--json']).stdout) as { entries: number }).entries;
  oneLineError(runCli(['--home', home, 'audit', 'append', '--type', 'Bad Type']), 2, /invalid audit type/);
  oneLineError(runCli(['--home', home, 'audit', 'append', '--type', 'a.b', '--data', '{nope']), 2, /--data is not valid JSON/);
  oneLineError(runCli(['--home', home, 'audit', 'append', '--type', 'a.b', '--data', '{"f":1.5}']), 2, /floats are not allowed/);
  oneLineError(runCli(['--home', home, 'audit', 'append', '--type', 'a.b', '--data', '[1]']), 2, /must be a JSON object/);
  oneLineError(runCli(['--home', home, 'audit', 'append'], { input: '{"type":"ok.one","extra":1}\n' }), 2, /unknown field "extra"/);
  oneLineError(runCli(['--home', home, 'audit', 'append', '--data', '{}']), 2, /--data needs --type/);
  oneLineError(runCli(['--home', home, 'audit', 'log', '--since', 'yesterday-ish']), 2, /--since/);
  oneLineError(runCli(['--home', home, 'audit', 'log', '--limit', '0']), 2, /--limit/);
  oneLineError(runCli(['--home', home, 'audit', 'export', '--output', join(tmp.dir, 'no', 'such', 'dir', 'x.jsonl')]), 2, /the directory .* does not exist: create it first/);
  oneLineError(runCli(['--home', home, 'audit', 'verify', '--pubkey-file', join(tmp.dir, 'missing.pub')]), 2, /cannot read public key file .*: no such file/);
  oneLineError(runCli(['--home', join(tmp.dir, 'none'), 'audit', 'verify']), 2, /run agentsec init/);
  const after = (JSON.parse(runCli(['--home', home, 'audit', 'status', '--json']).stdout) as { entries: number }).entries;
  assert.equal(after, before, 'a refused entry appends nothing');
  // A stream is appended as it flows: lines before a bad one are kept, and the error says so.
  oneLineError(runCli(['--home', home, 'audit', 'append'], { input: '{"type":"ok.one"}\nnot json\n{"type":"ok.two"}\n' }), 2, /stdin line 2 is not valid JSON \(1 earlier entry was appended\)/);
  assert.equal((JSON.parse(runCli(['--home', home, 'audit', 'status', '--json']).stdout) as { entries: number }).entries, before + 1);
  assert.equal(existsSync(join(tmp.dir, 'no')), false);
});

test('log -f prints new entries as JSON Lines and exits 130 on Ctrl-C', async () => {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('../support/cli.js');
  const child = spawn(process.execPath, [BIN, '--home', home, 'audit', 'log', '-f', '--type', 'app.followed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(runCli(['--home', home, 'audit', 'append', '--type', 'app.followed', '--data', '{"n":1}']).code, 0);
  const deadline = Date.now() + 10_000;
  while (!out.includes('app.followed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  const code = await closed;
  const rec = JSON.parse(out.trim().split('\n')[0] as string) as { type: string; data: { n: number } };
  assert.equal(rec.type, 'app.followed');
  assert.equal(rec.data.n, 1);
  assert.equal(code, 130);
});
