import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, runCli, runCliAsync, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-audit-conc-');
after(() => tmp.cleanup());

function verifyJson(home: string, pubkey: string): { code: number; doc: { problems: unknown[]; entries: number; verdict: string } } {
  const r = runCli(['--home', home, 'audit', 'verify', '--json', '--pubkey', pubkey]);
  return { code: r.code, doc: JSON.parse(r.stdout) as { problems: unknown[]; entries: number; verdict: string } };
}

function lines(proc: number, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += `{"type":"test.concurrent","data":{"proc":${proc},"i":${i}}}\n`;
  return s;
}

test('8 processes appending 5,000 entries each at once build one valid chain of 40,000', async () => {
  const home = join(tmp.dir, 'conc');
  const init = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(init.code, 0, init.stderr);
  const pubkey = init.stdout.trim();
  const results = await Promise.all(Array.from({ length: 8 }, (_, p) => runCliAsync(['--home', home, 'audit', 'append'], { input: lines(p, 5000) })));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  assert.equal(runCli(['--home', home, 'audit', 'seal']).code, 0);
  const v = verifyJson(home, pubkey);
  assert.deepEqual(v.doc.problems, []);
  assert.equal(v.code, 0);
  assert.equal(v.doc.entries, 40_001, 'audit.init plus 40,000 appended entries');
});

function killAfter(args: string[], input: string, ms: number): Promise<void> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      res();
    });
  });
}

test('kill -9 during append and during seal never breaks the chain (the tail may stay unsealed)', async () => {
  const home = join(tmp.dir, 'kill');
  const init = runCli(['--home', home, 'init', '--quiet']);
  assert.equal(init.code, 0, init.stderr);
  const pubkey = init.stdout.trim();
  for (let round = 0; round < 12; round++) {
    // Start-up takes ~150-300 ms here and a 3,000-line append ~500 ms more: the kills land from start-up to mid-write.
    await Promise.all([
      killAfter(['--home', home, 'audit', 'append'], lines(round, 3000), 150 + Math.floor(Math.random() * 550)),
      killAfter(['--home', home, 'audit', 'seal', '--force'], '', 150 + Math.floor(Math.random() * 250)),
    ]);
    const v = verifyJson(home, pubkey);
    assert.deepEqual(v.doc.problems, [], `round ${round}`);
    assert.ok(v.code === 0 || v.code === 3, `round ${round}: exit ${v.code}`);
  }
  // After the crashes the chain can still be sealed with the key its last checkpoint vouched for.
  const seal = runCli(['--home', home, 'audit', 'seal', '--force']);
  assert.equal(seal.code, 0, seal.stderr);
  const final = verifyJson(home, pubkey);
  assert.equal(final.code, 0, JSON.stringify(final.doc));
});
