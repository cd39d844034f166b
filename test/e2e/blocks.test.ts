import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
const home = join(tmp.dir, 'h');
const cli = (args: string[]) => runCli(['--home', home, ...args]);
before(() => assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0));
after(() => tmp.cleanup());

test('blocks and unblocks are appended to the audit chain', () => {
  assert.equal(cli(['blocks', 'add', '203.0.113.9', '--reason', 'manual test']).code, 0);
  for (let i = 0; i < 5; i++) cli(['blocks', 'record', '203.0.113.10']);
  assert.equal(cli(['blocks', 'remove', '203.0.113.9']).code, 0);
  assert.equal(cli(['blocks', 'purge', '--older-than', '365d']).code, 0);
  const log = cli(['audit', 'log', '--json']);
  const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  assert.deepEqual(entries.map((e) => e.type), ['audit.init', 'blocks.block', 'blocks.block', 'blocks.unblock', 'blocks.purge']);
  assert.equal(entries[1]?.data['value'], '203.0.113.9');
  assert.equal(entries[2]?.data['value'], '203.0.113.10');
  assert.equal(entries[2]?.data['source'], 'record');
  assert.equal(entries[3]?.data['value'], '203.0.113.9');
  const exported = cli(['audit', 'export']);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /blocks\.unblock/);
  const key = readFileSync(join(home, 'master.key')).toString('hex');
  assert.ok(!exported.stdout.includes(key), 'no master key material in the export');
});

test('export writes one atomic file and runs --then; a failing --then is exit 3 with the file written', () => {
  cli(['blocks', 'add', '2001:db8:e::/48']);
  cli(['blocks', 'add', '198.51.100.0/24']);
  const out = join(tmp.dir, 'agentsec.nft');
  const r = cli(['blocks', 'export', '--format', 'nftables', '--output', out, '--then', 'grep -c saddr "$AGENTSEC_EXPORT_FILE"']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^2$/m);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /198\.51\.100\.0\/24/);
  assert.match(text, /2001:db8:e::\/48/);
  assert.equal(statSync(out).mode & 0o777, 0o644);
  const bad = cli(['blocks', 'export', '--format', 'plain', '--output', out, '--then', 'exit 7']);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /--then command failed \(exit 7\)/);
  assert.match(readFileSync(out, 'utf8'), /^198\.51\.100\.0\/24$/m);
  const noDir = cli(['blocks', 'export', '--output', join(tmp.dir, 'missing', 'x.conf')]);
  assert.equal(noDir.code, 2);
  assert.equal(noDir.stderr.trim().split('\n').length, 1);
});

test('import --from fail2ban brings the active bans with their own end', async () => {
  const { default: Database } = await import('better-sqlite3');
  const f2b = join(tmp.dir, 'fail2ban.sqlite3');
  const db = new Database(f2b);
  const now = Math.floor(Date.now() / 1000);
  db.exec(`CREATE TABLE jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL, bancount INTEGER NOT NULL default 1, data JSON, PRIMARY KEY(ip, jail));`);
  const ins = db.prepare('INSERT INTO bips (ip, jail, timeofban, bantime) VALUES (?, ?, ?, ?)');
  ins.run('192.0.2.77', 'sshd', now - 60, 600);
  ins.run('2001:db8:77::1', 'nginx-http-auth', now - 60, -1);
  ins.run('192.0.2.78', 'sshd', now - 7200, 600);
  ins.run('127.0.0.1', 'sshd', now - 60, 600);
  ins.run('not-an-ip', 'sshd', now - 60, 600);
  db.close();
  const r = runCli(['--home', home, '--json', 'blocks', 'import', '--from', 'fail2ban', f2b]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { schemaVersion: 1, from: 'fail2ban', bans: 5, imported: 2, expired: 1, invalid: 1, allowlisted: 1, alreadyBlocked: 0 });
  const check = JSON.parse(runCli(['--home', home, '--json', 'blocks', 'check', '192.0.2.77']).stdout) as { block: { expiresAt: string; source: string; reason: string } };
  assert.equal(check.block.expiresAt, new Date((now + 540) * 1000).toISOString());
  assert.equal(check.block.source, 'import:fail2ban');
  assert.equal(check.block.reason, 'fail2ban jail sshd');
  assert.equal(runCli(['--home', home, 'blocks', 'check', '2001:db8:77::1']).code, 1);
  const again = JSON.parse(runCli(['--home', home, '--json', 'blocks', 'import', '--from', 'fail2ban', f2b]).stdout) as { alreadyBlocked: number };
  assert.equal(again.alreadyBlocked, 2);
  const notDb = join(tmp.dir, 'not.sqlite3');
  writeFileSync(notDb, 'hello, this is not sqlite at all, really not'.repeat(50));
  const bad = runCli(['--home', home, 'blocks', 'import', '--from', 'fail2ban', notDb]);
  assert.equal(bad.code, 3);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('tail -f shows a block, an unblock and an expiry as they happen, as JSON Lines, and stops on SIGINT', async () => {
  const child = spawn(process.execPath, [BIN, '--home', home, '--json', 'blocks', 'tail', '-f', '-n', '0'], { env: { PATH: process.env['PATH'] ?? '' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const wait = async (re: RegExp) => {
    for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, re);
  };
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(cli(['blocks', 'add', '192.0.2.201', '--for', '2s']).code, 0);
  await wait(/"event":"block","at":"[^"]+","value":"192\.0\.2\.201"/);
  assert.equal(cli(['blocks', 'add', '192.0.2.202', '--permanent']).code, 0);
  assert.equal(cli(['blocks', 'remove', '192.0.2.202']).code, 0);
  await wait(/"event":"unblock","at":"[^"]+","value":"192\.0\.2\.202"/);
  await wait(/"event":"expire","at":"[^"]+","value":"192\.0\.2\.201"/);
  child.kill('SIGINT');
  assert.equal(await closed, 130);
  for (const l of out.trim().split('\n')) JSON.parse(l);
});
