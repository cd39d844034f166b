import assert from 'node:assert/strict';
import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run } from '../../../src/cli/main.js';
import type { IngestStats } from '../../../src/services/blocks/ingest.js';
import { nginxTime, writeAccessLog } from '../../support/access-log.js';
import { fakeIo } from '../../support/io.js';
import { T0, at, cli, initHome, json } from './helpers.js';

let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

// The JSON document of `blocks ingest`: the service's counts plus the blocks it made.
type Stats = IngestStats & { formats: Record<string, unknown>; blocks: Array<{ value: string; createdAt: string; expiresAt: string }> };

function line(ip: string, ms: number, status: number): string {
  return `${ip} - - [${nginxTime(ms)}] "POST /v1/login HTTP/1.1" ${status} 17 "-" "curl/8"\n`;
}

test('a million-line log with a known set of offenders yields exactly that set', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const file = join(h, 'access.log');
    // Nine minutes of log, read as it ends: every line is inside find-time (10m) of now.
    const gen = writeAccessLog(file, { lines: 1_000_000, seed: 20261122, start: T0.getTime(), spanMs: 9 * 60_000, offenders: 400, burst: 12, noise: 5000, malformed: 0.001 });
    const r = await json<Stats>(h, ['blocks', 'ingest', file, '--format', 'nginx'], at(9 * 60_000));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.doc.lines, 1_000_000);
    assert.equal(r.doc.unrecognised, gen.malformedLines);
    assert.deepEqual(r.doc.formats, { nginx: { read: 1_000_000, failures: gen.failureLines, neutral: 1_000_000 - gen.failureLines - gen.malformedLines, unrecognised: gen.malformedLines, overlong: 0 } });
    assert.equal(r.doc.failures, gen.failureLines);
    assert.deepEqual(new Set(r.doc.blocks.map((b) => b.value)), gen.offenders);
    assert.equal(r.doc.blocked, gen.offenders.size);
    assert.deepEqual([r.doc.tooOld, r.doc.futureDated, r.doc.overlong], [0, 0, 0]);
    // Remembered position: a second run reads nothing new and counts nothing twice.
    const again = await json<Stats>(h, ['blocks', 'ingest', file], at(9 * 60_000));
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
  assert.deepEqual([doc.format, doc.formatDetail, doc.lines, doc.failures, doc.neutral, doc.unrecognised, doc.blocked], ['json', 'source-ip', 9, 5, 1, 3, 1]);
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

test("a line's own time is not believed: future-dated lines count as now, lines older than find-time not at all", async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const now = at(86_400_000);
    const fail = (ip: string, time: unknown) => JSON.stringify({ event: 'auth.failed', source_ip: ip, timestamp: time });
    const lines = [
      // Five lines dated 2099 once blocked until 2099 (and left failures that counted in every window until then).
      ...Array.from({ length: 5 }, () => fail('198.51.100.20', '2099-01-01T00:00:00Z')),
      // `ts: 1` (1970) once made a block that had expired before it was made.
      ...Array.from({ length: 5 }, () => JSON.stringify({ event: 'auth.failed', source_ip: '198.51.100.21', ts: 1 })),
      // 30 s ahead is clock drift between hosts: counted, not reported.
      ...Array.from({ length: 5 }, () => fail('198.51.100.23', new Date(now.getTime() + 30_000).toISOString())),
    ];
    const r = await cli(h, ['--json', 'blocks', 'ingest', '-'], { stdin: `${lines.join('\n')}\n`, now });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Stats;
    assert.deepEqual([doc.lines, doc.failures, doc.tooOld, doc.futureDated, doc.blocked], [15, 10, 5, 5, 2]);
    // Eleven minutes old: outside find-time (10m), as fail2ban would ignore them; the four recent ones are not enough.
    const old = [
      ...Array.from({ length: 5 }, (_, i) => line('198.51.100.22', now.getTime() - 11 * 60_000 + i, 401).trimEnd()),
      ...Array.from({ length: 4 }, (_, i) => line('198.51.100.22', now.getTime() - 60_000 + i, 401).trimEnd()),
    ];
    const n = JSON.parse((await cli(h, ['--json', 'blocks', 'ingest', '-'], { stdin: `${old.join('\n')}\n`, now })).stdout) as Stats;
    assert.deepEqual([n.format, n.lines, n.failures, n.tooOld, n.blocked], ['nginx', 9, 4, 5, 0]);
    const byValue = new Map(doc.blocks.map((b) => [b.value, b]));
    assert.deepEqual([...byValue.keys()].sort(), ['198.51.100.20', '198.51.100.23']);
    for (const b of byValue.values()) {
      assert.equal(b.createdAt, now.toISOString(), 'a failure is never dated after the clock');
      assert.equal(b.expiresAt, new Date(now.getTime() + 3_600_000).toISOString());
    }
    const list = await json<{ blocks: Array<{ value: string }> }>(h, ['blocks', 'list', '--all'], now);
    assert.ok(!list.doc.blocks.some((b) => b.value === '198.51.100.21'), 'no block made from 1970 lines, not even an expired one');
    assert.equal((await cli(h, ['blocks', 'check', '198.51.100.22'], { now })).code, 0);
    // The failures were stored at now: an hour and a second later the 2099 address is free, not blocked until 2099.
    assert.equal((await cli(h, ['blocks', 'check', '198.51.100.20'], { now: new Date(now.getTime() + 3_601_000) })).code, 0);
    const text = await cli(h, ['blocks', 'ingest', '-'], { stdin: `${fail('198.51.100.30', '2099-01-01T00:00:00Z')}\n${fail('198.51.100.31', 1)}\n`, now });
    assert.match(text.stderr, /2 lines: 1 failure, .*1 future-dated \(counted as now\); skipped: 0 unrecognised, 0 over 64 KiB, 1 older than find-time \(10m\)/);
  } finally {
    done();
  }
});

test('an hour-old log replayed on purpose counts nothing, as fail2ban ignores lines older than findtime', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const file = join(h, 'old.log');
    const gen = writeAccessLog(file, { lines: 50_000, seed: 7, start: T0.getTime(), offenders: 50, burst: 12, noise: 200, malformed: 0 });
    const r = await json<Stats>(h, ['blocks', 'ingest', file, '--format', 'nginx'], new Date(gen.end + 3_600_000));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.lines, r.doc.failures, r.doc.tooOld, r.doc.blocked], [50_000, 0, gen.failureLines, 0]);
  } finally {
    done();
  }
});

test('lines over 64 KiB are counted as overlong and skipped, within one read, across reads and unfinished', async () => {
  const { home: h, cleanup: done } = await initHome();
  try {
    const now = at(0);
    const padded = (ip: string, bytes: number) => {
      const base = JSON.stringify({ event: 'auth.failed', source_ip: ip, pad: '' });
      return JSON.stringify({ event: 'auth.failed', source_ip: ip, pad: 'x'.repeat(bytes - base.length) });
    };
    const limit = 64 * 1024;
    assert.equal(padded('198.51.100.40', limit).length, limit);
    const ok = (ip: string) => JSON.stringify({ event: 'auth.failed', source_ip: ip });
    const file = join(h, 'long.log');
    // Exactly the limit is read; one byte more is not; 10 MB spans three 4 MiB reads; a multi-byte character is
    // counted in bytes (21,846 of them are 65,538 bytes).
    const body = [padded('198.51.100.40', limit), padded('198.51.100.41', limit + 1), `{"pad":"${'y'.repeat(10 << 20)}"}`, `{"event":"auth.failed","source_ip":"198.51.100.42","pad":"${'€'.repeat(21_846)}"}`, ...Array.from({ length: 5 }, () => ok('198.51.100.43'))];
    writeFileSync(file, `${body.join('\n')}\n`);
    const r = await json<Stats>(h, ['blocks', 'ingest', file], now);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.doc.lines, r.doc.overlong, r.doc.failures, r.doc.blocked], [9, 3, 6, 1]);
    assert.equal(r.doc.blocks[0]?.value, '198.51.100.43');
    // The same from stdin.
    const s = await cli(h, ['--json', 'blocks', 'ingest', '-'], { stdin: `${body.join('\n')}\n`, now });
    assert.deepEqual((({ lines, overlong, failures }) => [lines, overlong, failures])(JSON.parse(s.stdout) as Stats), [9, 3, 6]);
    // An overlong line still being written: not counted yet, and the next run scans it again from its start
    // rather than reading its tail as a line of its own.
    appendFileSync(file, `{"event":"auth.failed","ip":"198.51.100.44","pad":"${'z'.repeat(6 << 20)}`);
    const partial = await json<Stats>(h, ['blocks', 'ingest', file], now);
    assert.deepEqual([partial.doc.lines, partial.doc.overlong], [0, 0]);
    appendFileSync(file, `"}\n${ok('198.51.100.45')}\n`);
    const rest = await json<Stats>(h, ['blocks', 'ingest', file], now);
    assert.deepEqual([rest.doc.lines, rest.doc.overlong, rest.doc.failures], [2, 1, 1]);
    assert.deepEqual([(await json<Stats>(h, ['blocks', 'ingest', file], now)).doc.lines], [0]);
    // An unfinished overlong last line on stdin counts at the end, like any last line.
    const tail = await cli(h, ['--json', 'blocks', 'ingest', '-'], { stdin: `${ok('198.51.100.46')}\n${'w'.repeat(limit + 1)}`, now });
    assert.deepEqual((({ lines, overlong }) => [lines, overlong])(JSON.parse(tail.stdout) as Stats), [2, 1]);
  } finally {
    done();
  }
});
