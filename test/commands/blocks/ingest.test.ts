import assert from 'node:assert/strict';
import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run } from '../../../src/cli/main.js';
import { nginxTime, writeAccessLog } from '../../support/access-log.js';
import { fakeIo } from '../../support/io.js';
import { T0, at, cli, initHome, json } from './helpers.js';

let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

type Stats = { lines: number; failures: number; malformed: number; blocked: number; alreadyBlocked: number; allowlisted: number; blocks: Array<{ value: string }> };

function line(ip: string, ms: number, status: number): string {
  return `${ip} - - [${nginxTime(ms)}] "POST /v1/login HTTP/1.1" ${status} 17 "-" "curl/8"\n`;
}

test('a million-line log with a known set of offenders yields exactly that set', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const file = join(h, 'access.log');
    const gen = writeAccessLog(file, { lines: 1_000_000, seed: 20261122, start: T0.getTime(), offenders: 400, burst: 12, noise: 5000, malformed: 0.001 });
    const r = await json<Stats>(h, ['blocks', 'ingest', file, '--format', 'nginx'], at(3_600_000));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.doc.lines, 1_000_000);
    assert.equal(r.doc.malformed, gen.malformedLines);
    assert.equal(r.doc.failures, gen.failureLines);
    assert.deepEqual(new Set(r.doc.blocks.map((b) => b.value)), gen.offenders);
    assert.equal(r.doc.blocked, gen.offenders.size);
    // Remembered position: a second run reads nothing new and counts nothing twice.
    const again = await json<Stats>(h, ['blocks', 'ingest', file], at(3_600_000));
    assert.deepEqual([again.doc.lines, again.doc.blocked], [0, 0]);
  } finally {
    done();
  }
});

test('JSON security logs and stdin; malformed lines are counted and skipped, never fatal', async () => {
  const lines = [
    ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ event: 'SECURITY_VIOLATION', source_ip: '198.51.100.9', timestamp: at(i * 1000).toISOString() })),
    '{"event":"auth.failed"',
    JSON.stringify({ event: 'auth.failed', source_ip: 'not-an-ip' }),
    JSON.stringify({ event: 'request.ok', source_ip: '198.51.100.10' }),
    'plain garbage',
  ];
  const r = await cli(home, ['--json', 'blocks', 'ingest', '-'], { stdin: `${lines.join('\n')}\n`, now: at(10_000) });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Stats;
  assert.deepEqual([doc.lines, doc.failures, doc.malformed, doc.blocked], [9, 5, 3, 1]);
  assert.equal((await cli(home, ['blocks', 'check', '198.51.100.9'], { now: at(20_000) })).code, 1);
});

test('follow: new lines, rotation (rename + new file) and truncation are all read, once', async () => {
  const file = join(home, 'follow.log');
  writeFileSync(file, '');
  const ac = new AbortController();
  const io = { ...fakeIo(), signal: ac.signal };
  let out = '';
  (io as { stdout: { isTTY: boolean; write: (s: string) => void } }).stdout = { isTTY: false, write: (s: string) => void (out += s) };
  const now = at(0);
  const running = run(['--home', home, 'blocks', 'ingest', file, '--follow', '--format', 'nginx'], io, { ctxOverrides: { clock: () => now } });
  const wait = async (re: RegExp) => {
    for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, re);
  };
  for (let i = 0; i < 5; i++) appendFileSync(file, line('192.0.2.101', T0.getTime() + i, 401));
  await wait(/blocked\t192\.0\.2\.101/);
  renameSync(file, `${file}.1`);
  appendFileSync(`${file}.1`, line('192.0.2.102', T0.getTime(), 401));
  for (let i = 0; i < 5; i++) appendFileSync(file, line('192.0.2.103', T0.getTime() + i, 429));
  await wait(/blocked\t192\.0\.2\.103/);
  truncateSync(file, 0);
  await new Promise((r) => setTimeout(r, 600));
  for (let i = 0; i < 5; i++) appendFileSync(file, line('192.0.2.104', T0.getTime() + i, 403));
  await wait(/blocked\t192\.0\.2\.104/);
  ac.abort();
  assert.equal(await running, 0);
  assert.equal(out.match(/^blocked/gm)?.length, 3, out);
});
