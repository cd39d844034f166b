import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { signCheckpoint, parseNote } from '../../src/core/audit/checkpoint.js';
import { canonicalize } from '../../src/core/audit/canonical.js';
import { hashCanon, parseCanon } from '../../src/core/audit/entry.js';
import { generateSigningKey } from '../../src/core/audit/keys.js';
import { AuditLog } from '../../src/services/audit.js';
import { openStore } from '../../src/store/open.js';
import { run } from '../../src/cli/main.js';
import { AuditKeyring } from '../../src/platform/audit-keyring.js';
import { runCli, tempDir } from '../support/cli.js';
import { fakeIo } from '../support/io.js';
import { buildChain, EPOCH_MS, entryAt, resignAll, rewriteData, tamper } from './support.js';

interface Problem {
  kind: string;
  seq?: number;
  toSeq?: number;
  epoch?: number;
  line?: number;
  detail: string;
}
interface Doc {
  verdict: string;
  problems: Problem[];
  entries: number;
  sealed: number;
  unsealed: number;
  checkpoints: number;
}

const tmp = tempDir('agentsec-tamper-');
after(() => tmp.cleanup());
let n = 0;

/** 61 entries (audit.init + 60 events), sealed every 10: checkpoints 0..6, sizes 1, 11, 21 … 61. */
async function chain(opts: { entries?: number; perEpoch?: number; start?: number; step?: number } = {}): Promise<{ home: string; pubkey: string }> {
  const home = join(tmp.dir, `h${++n}`);
  const { pubkey } = await buildChain(home, { entries: opts.entries ?? 60, perEpoch: opts.perEpoch ?? 10, ...(opts.start !== undefined ? { start: opts.start } : {}), ...(opts.step !== undefined ? { step: opts.step } : {}) });
  return { home, pubkey };
}

function verify(home: string, args: string[] = []): { code: number; doc: Doc; stderr: string } {
  const r = runCli(['--home', home, 'audit', 'verify', '--json', ...args]);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

/** verify in-process (for the fuzz loop: no process per case), with the same no-stack-trace check. */
async function inProcessVerify(home: string, args: string[]): Promise<{ code: number; doc: Doc; stderr: string }> {
  const io = fakeIo();
  const code = await run(['--home', home, 'audit', 'verify', '--json', ...args], io);
  assert.doesNotMatch(io.err(), /internal error|\n\s+at /, io.err());
  return { code, doc: JSON.parse(io.out()) as Doc, stderr: io.err() };
}

function kinds(doc: Doc): string[] {
  return doc.problems.map((p) => `${p.kind}@${p.seq ?? ''}${p.epoch !== undefined ? `e${p.epoch}` : ''}`);
}

test('an untouched chain verifies with the public key alone', async () => {
  const { home, pubkey } = await chain();
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 0, JSON.stringify(r.doc.problems));
  assert.equal(r.doc.verdict, 'verified');
  assert.equal(r.doc.entries, 61);
  assert.equal(r.doc.sealed, 61);
  assert.equal(r.doc.checkpoints, 7);
});

test('a changed byte is found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => db.prepare(`UPDATE audit_entries SET canon = replace(canon, '"i":14', '"i":99') WHERE seq = 15`).run());
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['modified@15']);
});

test('a changed entry with its hash recomputed is found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const forged = rewriteData(entryAt(db, 15).canon, { i: 'nothing to see' });
    db.prepare('UPDATE audit_entries SET canon = ?, hash = ? WHERE seq = 15').run(forged.canon, forged.hash);
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['modified@15']);
  assert.match(r.doc.problems[0]?.detail ?? '', /hash recomputed/);
});

test('a deleted entry is found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => db.prepare('DELETE FROM audit_entries WHERE seq = 15').run());
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['missing@15']);
});

test('two swapped entries are found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const a = entryAt(db, 12);
    const b = entryAt(db, 17);
    const set = db.prepare('UPDATE audit_entries SET canon = ?, hash = ? WHERE seq = ?');
    set.run(b.canon, b.hash, 12);
    set.run(a.canon, a.hash, 17);
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['moved@17', 'moved@12']);
});

test('a forged entry inserted into sealed history is found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    db.prepare('UPDATE audit_entries SET seq = -(seq + 1) WHERE seq >= 15').run();
    db.prepare('UPDATE audit_entries SET seq = -seq WHERE seq < 0').run();
    const before = parseCanon(entryAt(db, 14).canon);
    if (!before) throw new Error('bad');
    const canon = canonicalize({ ...before, seq: 15, prev: entryAt(db, 14).hash, data: { i: 'forged' } });
    db.prepare('INSERT INTO audit_entries (seq, hash, canon, ts, type, actor) VALUES (15, ?, ?, ?, ?, ?)').run(hashCanon(canon), canon, before.ts, before.type, '{}');
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.equal(kinds(r.doc)[0], 'duplicate@15');
  assert.ok(r.doc.problems.some((p) => p.kind === 'head-mismatch' && p.epoch === 2), JSON.stringify(r.doc.problems));
});

test('an entry rewritten with everything after it re-chained is caught by the signed checkpoint', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const rows = db.prepare('SELECT seq, canon FROM audit_entries WHERE seq >= 15 ORDER BY seq').all() as Array<{ seq: number; canon: string }>;
    let prev = entryAt(db, 14).hash;
    for (const row of rows) {
      const e = parseCanon(row.canon);
      if (!e) throw new Error('bad');
      const canon = canonicalize({ ...e, prev, ...(row.seq === 15 ? { data: { i: 'rewritten' } } : {}) });
      prev = hashCanon(canon);
      db.prepare('UPDATE audit_entries SET canon = ?, hash = ? WHERE seq = ?').run(canon, prev, row.seq);
    }
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  const first = r.doc.problems[0];
  assert.equal(first?.kind, 'head-mismatch');
  assert.equal(first?.epoch, 2);
  assert.deepEqual([first?.seq, first?.toSeq], [11, 20], 'located to the entries of epoch 2');
  assert.ok(r.doc.problems.every((p) => p.kind === 'head-mismatch'));
});

test('truncation into the sealed range is found', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => db.prepare('DELETE FROM audit_entries WHERE seq >= 45').run());
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['truncated@45e6']);
  assert.equal(r.doc.problems[0]?.toSeq, 60);
});

test('tail entries deleted with their checkpoints: caught by --state (rollback)', async () => {
  const { home, pubkey } = await chain();
  const state = join(home, '..', `state-${n}.json`);
  assert.equal(verify(home, ['--pubkey', pubkey, '--state', state]).code, 0);
  assert.equal(JSON.parse(readFileSync(state, 'utf8')).epoch, 6);
  tamper(home, (db) => {
    db.prepare('DELETE FROM audit_entries WHERE seq >= 41').run();
    db.prepare('DELETE FROM audit_checkpoints WHERE size > 41').run();
  });
  const r = verify(home, ['--pubkey', pubkey, '--state', state]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['rollback@e6']);
  assert.equal(JSON.parse(readFileSync(state, 'utf8')).epoch, 6, 'a failed verification never moves the state back');
});

test('tail entries deleted with their checkpoints: caught by the clock rule', async () => {
  // Entries every 3 minutes over the last 3 hours; the writer seals every 15-minute epoch on the next append.
  const { home, pubkey } = await chain({ entries: 60, perEpoch: 1000, start: Date.now() - 3 * 3600_000, step: 180_000 });
  const sealed = runCli(['--home', home, 'audit', 'seal', '--force']);
  assert.equal(sealed.code, 0, sealed.stderr);
  assert.equal(verify(home, ['--pubkey', pubkey]).code, 0);
  tamper(home, (db) => {
    db.prepare('DELETE FROM audit_entries WHERE seq >= 31').run();
    db.prepare('DELETE FROM audit_checkpoints WHERE size > 31').run();
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.doc.problems.map((p) => p.kind), ['checkpoints-stopped']);
});

test('a checkpoint forged with a fresh key is found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const row = db.prepare('SELECT note FROM audit_checkpoints WHERE epoch = 3').get() as { note: string };
    const parsed = parseNote(row.note);
    if (!parsed.ok) throw new Error('bad');
    const fresh = generateSigningKey();
    db.prepare('UPDATE audit_checkpoints SET note = ? WHERE epoch = 3').run(signCheckpoint(parsed.checkpoint, fresh.privateKey, fresh.publicKey));
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['bad-signature@e3']);
});

test('a deleted checkpoint is found and located', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => db.prepare('DELETE FROM audit_checkpoints WHERE epoch = 4').run());
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['checkpoint-missing@e4']);
});

test('a public key replaced in the store is caught when --pubkey is given', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => resignAll(db, home));
  const fromStore = verify(home);
  assert.equal(fromStore.code, 0, 'the host-held key proves nothing against root: hence the warning');
  assert.match(fromStore.stderr, /proves less/);
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['bad-signature@e0']);
  assert.match(r.stderr, /differs from --pubkey/);
});

test('an export verifies offline; an edited export does not', async () => {
  const { home, pubkey } = await chain();
  const file = join(home, '..', `export-${n}.jsonl`);
  assert.equal(runCli(['--home', home, 'audit', 'export', '--output', file]).code, 0);
  const ok = verify(home, ['--jsonl', file, '--pubkey', pubkey]);
  assert.equal(ok.code, 0, JSON.stringify(ok.doc.problems));
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes('"seq":20,'));
  lines[i] = (lines[i] as string).replace('\\"i\\":19', '\\"i\\":1900');
  writeFileSync(file, lines.join('\n'));
  const bad = verify(home, ['--jsonl', file, '--pubkey', pubkey]);
  assert.equal(bad.code, 1);
  assert.deepEqual(kinds(bad.doc), ['modified@20']);
});

test('unsealed entries: exit 3, or 1 with --strict; the count is stated', async () => {
  const { home, pubkey } = await chain({ entries: 12, perEpoch: 10 });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 3);
  assert.equal(r.doc.verdict, 'incomplete');
  assert.equal(r.doc.unsealed, 2);
  assert.equal(verify(home, ['--pubkey', pubkey, '--strict']).code, 1);
});

test('cannot verify: a malformed key, a missing export, a non-export file: exit 2 or 3, one line', async () => {
  const { home } = await chain({ entries: 1, perEpoch: 1 });
  for (const [args, code] of [
    [['--pubkey', 'ed25519:nope'], 2],
    [['--pubkey', 'x', '--pubkey-file', 'y'], 2],
    [['--jsonl', join(home, 'missing.jsonl')], 3],
    [['--jsonl', join(home, 'agentsec.db')], 2],
    [['--since-epoch', 'x'], 2],
  ] as const) {
    const r = runCli(['--home', home, 'audit', 'verify', ...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

// ---- Exports: nothing in the unsigned header narrows the check; damaged lines are located, never an internal error.

/** Exports the chain and returns its lines (without the final empty one) and a writer for edited copies. */
function exportLines(home: string): { lines: string[]; write: (lines: string[], name?: string) => string; index: (seq: number) => number } {
  const file = join(home, '..', `export-${n}.jsonl`);
  const r = runCli(['--home', home, 'audit', 'export', '--output', file]);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  let copies = 0;
  return {
    lines,
    write: (edited, name) => {
      const f = join(home, '..', name ?? `edited-${n}-${++copies}.jsonl`);
      writeFileSync(f, edited.join('\n') + '\n');
      return f;
    },
    index: (seq) => lines.findIndex((l) => l.startsWith(`{"kind":"entry","seq":${seq},`)),
  };
}

test('an export header cannot narrow the check: sinceEpoch 99 and entry 5 changed is tampered at 5', async () => {
  const { home, pubkey } = await chain();
  const x = exportLines(home);
  const lines = [...x.lines];
  lines[0] = (lines[0] as string).replace('"sinceEpoch":0', '"sinceEpoch":99');
  const i = x.index(5);
  lines[i] = (lines[i] as string).replace('\\"i\\":4', '\\"i\\":40');
  const r = verify(home, ['--jsonl', x.write(lines), '--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['modified@5']);
  assert.match(r.stderr, /header says it starts at epoch 99.*narrows nothing/);
});

test('an export made with --since-epoch is checked whole unless the verifier says --since-epoch', async () => {
  const { home, pubkey } = await chain();
  const file = join(home, '..', `since-${n}.jsonl`);
  assert.equal(runCli(['--home', home, 'audit', 'export', '--since-epoch', '3', '--output', file]).code, 0);
  const whole = verify(home, ['--jsonl', file, '--pubkey', pubkey]);
  assert.equal(whole.code, 1);
  assert.deepEqual(kinds(whole.doc), ['missing@0'], 'the entries the export left out are missing, located');
  assert.equal(whole.doc.problems[0]?.toSeq, 20);
  const narrowed = verify(home, ['--jsonl', file, '--pubkey', pubkey, '--since-epoch', '3']);
  assert.equal(narrowed.code, 3, JSON.stringify(narrowed.doc.problems));
  assert.deepEqual(narrowed.doc.problems, []);
  const full = join(home, '..', `full-${n}.jsonl`);
  assert.equal(runCli(['--home', home, 'audit', 'export', '--output', full]).code, 0);
  const fullNarrowed = verify(home, ['--jsonl', full, '--pubkey', pubkey, '--since-epoch', '3']);
  assert.equal(fullNarrowed.code, 3, JSON.stringify(fullNarrowed.doc.problems));
  assert.deepEqual(fullNarrowed.doc.problems, [], 'a whole export checked from epoch 3 on, like the store');
});

test('a checkpoint dated 10 years ahead is reported, so it cannot silence checkpoints-stopped', async () => {
  const { home, pubkey } = await chain();
  const ahead = Date.now() + 10 * 365 * 86400_000;
  const store = await openStore(join(home, 'agentsec.db'));
  try {
    await new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(ahead), epochMs: EPOCH_MS }).seal(true);
  } finally {
    await store.close();
  }
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['future-dated@e7']);
  assert.match(r.doc.problems[0]?.detail ?? '', /ahead of this clock/);
  assert.equal(verify(home, ['--pubkey', pubkey, '--clock-skew', '3660d']).code, 0, 'a tolerance the verifier chose');
});

test('entries dated ahead are reported as one located range', async () => {
  const { home, pubkey } = await chain({ entries: 10, perEpoch: 100 });
  // Ten minutes: beyond the tolerance, within the epoch (so no checkpoint is written ahead too).
  const ahead = Date.now() + 10 * 60_000;
  const store = await openStore(join(home, 'agentsec.db'));
  try {
    const log = new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(ahead), epochMs: EPOCH_MS });
    for (let i = 0; i < 3; i++) await log.append([{ type: 'test.ahead', data: { i } }]);
  } finally {
    await store.close();
  }
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['future-dated@11']);
  assert.equal(r.doc.problems[0]?.toSeq, 13);
});

test('malformed export lines give a located tamper verdict, never an internal error (fuzzed)', async () => {
  const { home, pubkey } = await chain({ entries: 4, perEpoch: 2 });
  const x = exportLines(home);
  const replacements: Array<[string, (line: string) => string]> = [
    ['null', () => 'null'],
    ['[]', () => '[]'],
    ['{}', () => '{}'],
    ['"x"', () => '"x"'],
    ['truncated', (l) => l.slice(0, Math.floor(l.length / 2))],
    ['huge', () => `{"kind":"entry","pad":"${'a'.repeat(2 << 20)}"}`],
    ['binary', () => Buffer.from([0xff, 0xfe, 0x00, 0x01, 0xc3, 0x28, 0x80]).toString('latin1')],
  ];
  for (let i = 0; i < x.lines.length; i++) {
    for (const [name, replace] of replacements) {
      const lines = [...x.lines];
      lines[i] = replace(lines[i] as string);
      const r = await inProcessVerify(home, ['--jsonl', x.write(lines, 'fuzz.jsonl'), '--pubkey', pubkey]);
      const what = `line ${i + 1} replaced by ${name}`;
      assert.equal(r.code, 1, `${what}: ${r.stderr}`);
      assert.equal(r.doc.verdict, 'tampered', what);
      assert.ok(r.doc.problems.some((p) => p.line === i + 1), `${what}: located on its line: ${JSON.stringify(r.doc.problems)}`);
    }
  }
  const noKey = [...x.lines];
  noKey[0] = (noKey[0] as string).replace(/"pubkey":"[^"]*",/, '');
  const r = await inProcessVerify(home, ['--jsonl', x.write(noKey)]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(kinds(r.doc), ['modified@', 'bad-signature@e0']);
  assert.equal(r.doc.problems[0]?.line, 1);
  const empty = await inProcessVerify(home, ['--jsonl', x.write([], 'empty.jsonl')]);
  assert.equal(empty.code, 1, empty.stderr);
  assert.equal(empty.doc.problems[0]?.kind, 'truncated');
});

test('an unreadable export (missing, a directory) is one line, exit 3', async () => {
  const { home } = await chain({ entries: 1, perEpoch: 1 });
  for (const path of [join(home, 'missing.jsonl'), home]) {
    const r = runCli(['--home', home, 'audit', 'verify', '--jsonl', path]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^agentsec: cannot read /);
  }
});

test('a duplicated entry is located on it, in the store and in an export', async () => {
  const { home, pubkey } = await chain();
  const x = exportLines(home);
  const lines = [...x.lines];
  lines.splice(x.index(6), 0, lines[x.index(6)] as string);
  const exported = verify(home, ['--jsonl', x.write(lines), '--pubkey', pubkey]);
  assert.equal(exported.code, 1);
  assert.deepEqual(kinds(exported.doc), ['duplicate@6']);
  tamper(home, (db) => {
    db.prepare('UPDATE audit_entries SET seq = -(seq + 1) WHERE seq >= 7').run();
    db.prepare('UPDATE audit_entries SET seq = -seq WHERE seq < 0').run();
    const copy = entryAt(db, 6);
    db.prepare("INSERT INTO audit_entries (seq, hash, canon, ts, type, actor) VALUES (7, ?, ?, 0, 'test.event', '{}')").run(copy.hash, copy.canon);
  });
  const stored = verify(home, ['--pubkey', pubkey]);
  assert.equal(stored.code, 1);
  assert.deepEqual(kinds(stored.doc), ['duplicate@6']);
});

test('an entry overwritten with a copy of the one before is located on both', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const copy = entryAt(db, 6);
    db.prepare('UPDATE audit_entries SET canon = ?, hash = ? WHERE seq = 7').run(copy.canon, copy.hash);
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['duplicate@6', 'missing@7']);
});

test('two swapped lines of an export are located on the entries involved', async () => {
  const { home, pubkey } = await chain();
  const x = exportLines(home);
  for (const [a, b, expected] of [
    [12, 17, ['moved@17', 'moved@12']],
    [12, 13, ['moved@13', 'moved@12']],
  ] as const) {
    const lines = [...x.lines];
    [lines[x.index(a)], lines[x.index(b)]] = [lines[x.index(b)] as string, lines[x.index(a)] as string];
    const r = verify(home, ['--jsonl', x.write(lines), '--pubkey', pubkey]);
    assert.equal(r.code, 1);
    assert.deepEqual(kinds(r.doc), expected);
  }
  const deleted = [...x.lines];
  deleted.splice(x.index(15), 1);
  assert.deepEqual(kinds(verify(home, ['--jsonl', x.write(deleted), '--pubkey', pubkey]).doc), ['missing@15']);
  const relabelled = [...x.lines];
  relabelled[x.index(9)] = (relabelled[x.index(9)] as string).replace('"seq":9,', '"seq":90,');
  const r = verify(home, ['--jsonl', x.write(relabelled), '--pubkey', pubkey]);
  assert.deepEqual(kinds(r.doc), ['modified@9'], 'the record seq is not hashed, but an edit of it is still found');
});

// ---- Key resets (audit rekey): visible, located, never silent success with the original key.

test('a key reset forged into the store is a located key-reset, not a pass', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const row = db.prepare('SELECT note FROM audit_checkpoints WHERE epoch = 6').get() as { note: string };
    const parsed = parseNote(row.note);
    if (!parsed.ok) throw new Error('bad');
    const forger = generateSigningKey();
    const note = signCheckpoint({ ...parsed.checkpoint, reset: forger.publicKey }, forger.privateKey, forger.publicKey);
    db.prepare('UPDATE audit_checkpoints SET note = ? WHERE epoch = 6').run(note);
  });
  const r = verify(home, ['--pubkey', pubkey]);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['key-reset@51e6']);
  assert.equal(r.doc.problems[0]?.toSeq, 60);
});

test('a key-reset checkpoint not signed by the key it names is a bad signature', async () => {
  const { home, pubkey } = await chain();
  tamper(home, (db) => {
    const row = db.prepare('SELECT note FROM audit_checkpoints WHERE epoch = 6').get() as { note: string };
    const parsed = parseNote(row.note);
    if (!parsed.ok) throw new Error('bad');
    const named = generateSigningKey();
    const signer = generateSigningKey();
    db.prepare('UPDATE audit_checkpoints SET note = ? WHERE epoch = 6').run(signCheckpoint({ ...parsed.checkpoint, reset: named.publicKey }, signer.privateKey, signer.publicKey));
  });
  const r = verify(home, ['--pubkey', pubkey, '--accept-reset', '6']);
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.doc), ['bad-signature@e6']);
});
