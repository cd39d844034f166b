import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, runCli, tempDir } from '../support/cli.js';

const tmp = tempDir();
const home = join(tmp.dir, 'h');
const children: ChildProcessWithoutNullStreams[] = [];
before(() => assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0));
after(() => {
  // A test that failed or timed out leaves its ingest running: stop it, or the test file never ends.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

const MIB = 1 << 20;
const LONG_MIB = 200;
// A Node process running ingest peaks near 60 MiB; holding a 200 MB line at all would take it past 200.
const RSS_LIMIT_KIB = 150 * 1024;

function failures(ip: string, n: number): string {
  return Array.from({ length: n }, () => `${JSON.stringify({ event: 'auth.failed', source_ip: ip })}\n`).join('');
}

/** Peak resident memory (KiB) of a running process, from the kernel. */
function peakRssKib(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmHWM in /proc status');
  return Number(m[1]);
}

function start(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, '--home', home, ...args], { env: { PATH: process.env['PATH'] ?? '' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return { child, out: () => out, err: () => err, closed };
}

async function waitFor(what: () => string, re: RegExp, ms: number): Promise<void> {
  for (let t = 0; t < ms && !re.test(what()); t += 100) await new Promise((r) => setTimeout(r, 100));
  assert.match(what(), re);
}

const procNote = existsSync('/proc/self/status') ? undefined : 'needs /proc to read the peak memory of the child';

test('ingest from stdin: a 200 MB line streams by in bounded memory and the lines after it are read', { skip: procNote, timeout: 120_000 }, async () => {
  const p = start(['blocks', 'ingest', '-', '--format', 'json']);
  const chunk = Buffer.alloc(MIB, 0x61);
  for (let i = 0; i < LONG_MIB; i++) if (!p.child.stdin.write(chunk)) await new Promise((r) => p.child.stdin.once('drain', r));
  p.child.stdin.write(`\n${failures('198.51.100.60', 5)}`);
  // Read while the process is alive: with stdin still open it has read everything written, and is waiting for more.
  await waitFor(p.out, /^blocked\t198\.51\.100\.60\t/m, 60_000);
  const peak = peakRssKib(p.child.pid as number);
  p.child.stdin.end();
  assert.equal(await p.closed, 0, p.err());
  assert.ok(peak < RSS_LIMIT_KIB, `peak RSS ${Math.round(peak / 1024)} MiB while ingesting a ${LONG_MIB} MB line`);
  assert.match(p.err(), /^6 lines: 5 failures, .*skipped: 0 unrecognised, 1 over 64 KiB/m);
});

test('ingest -f: a 200 MB line written while following is skipped in bounded memory, and the next lines are read', { skip: procNote, timeout: 120_000 }, async () => {
  const file = join(tmp.dir, 'follow.log');
  writeFileSync(file, '');
  const p = start(['blocks', 'ingest', '-f', file]);
  await new Promise((r) => setTimeout(r, 500));
  const chunk = Buffer.alloc(MIB, 0x62);
  // Written the way a logger would write a huge line: piece by piece, while the follower reads.
  for (let i = 0; i < LONG_MIB; i++) {
    appendFileSync(file, chunk);
    if (i % 20 === 0) await new Promise((r) => setTimeout(r, 20));
  }
  appendFileSync(file, `\n${failures('198.51.100.61', 5)}`);
  await waitFor(p.out, /^blocked\t198\.51\.100\.61\t/m, 60_000);
  const peak = peakRssKib(p.child.pid as number);
  p.child.kill('SIGINT');
  assert.equal(await p.closed, 130);
  assert.ok(peak < RSS_LIMIT_KIB, `peak RSS ${Math.round(peak / 1024)} MiB while following a ${LONG_MIB} MB line`);
  assert.match(p.err(), /^6 lines: 5 failures, .*skipped: 0 unrecognised, 1 over 64 KiB/m);
});
