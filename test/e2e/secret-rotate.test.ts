import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getValue, parseEnv, serializeEnv, type EnvDocument } from '../../src/core/secrets/env-file.js';
import { BIN, runCli, runCliAsync, tempDir } from '../support/cli.js';

const ORIGINAL_JWT = 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA';

function envFile(lines: number): string {
  const out = ['# generated for the test', `JWT_SECRET=${ORIGINAL_JWT}`];
  for (let i = 0; i < lines; i++) out.push(i % 10 === 0 ? `# section ${i}` : `VAR_${i}="value ${i} = with equals"`);
  for (const n of ['A', 'B', 'C', 'D']) out.push(`export ${n}_TOKEN='${ORIGINAL_JWT}${n}'`);
  return `${out.join('\r\n')}\r\n`;
}

function without(doc: EnvDocument, names: string[]): string {
  return serializeEnv({ bom: doc.bom, lines: doc.lines.filter((l) => !(l.kind === 'entry' && names.includes(l.key))) });
}

let dir: string;
let cleanup: () => void;
let home: string;
before(() => {
  ({ dir, cleanup } = tempDir('agentsec-e2e-secret-'));
  home = join(dir, 'home');
  const init = runCli(['--home', home, 'init']);
  assert.equal(init.code, 0, init.stderr);
});
after(() => cleanup());

describe('secret rotate under concurrency', () => {
  it('loses no change when several processes rotate the same file at once', async () => {
    const file = join(dir, 'concurrent.env');
    fs.writeFileSync(file, envFile(200), { mode: 0o600 });
    const names = ['A_TOKEN', 'B_TOKEN', 'C_TOKEN', 'D_TOKEN', 'JWT_SECRET', 'JWT_SECRET'];
    const results = await Promise.all(names.map((n) => runCliAsync(['--home', home, 'secret', 'rotate', n, '--dotenv', file])));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const doc = parseEnv(fs.readFileSync(file, 'utf8'));
    for (const n of ['A', 'B', 'C', 'D']) {
      assert.match(getValue(doc, `${n}_TOKEN`) ?? '', /^[A-Za-z0-9_-]{43}$/, n);
      assert.equal(getValue(doc, `${n}_TOKEN_PREVIOUS`), `${ORIGINAL_JWT}${n}`);
    }
    // Two rotations of JWT_SECRET: the second must have read the first's result, so its previous value is not the original.
    const prev = getValue(doc, 'JWT_SECRET_PREVIOUS');
    assert.match(prev ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(getValue(doc, 'JWT_SECRET'), prev);
    const untouched = without(parseEnv(envFile(200)), ['JWT_SECRET', 'A_TOKEN', 'B_TOKEN', 'C_TOKEN', 'D_TOKEN']);
    assert.equal(without(doc, [...names, ...names.map((n) => `${n}_PREVIOUS`)]), untouched);
  });
});

function runAndKill(args: string[], delayMs: number): Promise<void> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      res();
    });
  });
}

describe('secret rotate killed with SIGKILL at random moments', () => {
  it('leaves the file wholly old or wholly new, and parseable, every time', async (t) => {
    const file = join(dir, 'killed.env');
    fs.writeFileSync(file, envFile(1000), { mode: 0o600 });
    const args = ['--home', home, 'secret', 'rotate', 'JWT_SECRET', '--dotenv', file];
    const t0 = Date.now();
    assert.equal(runCli(args).code, 0);
    const fullMs = Date.now() - t0;
    let old = 0;
    let rotated = 0;
    // A staircase: a kill that came too early (file old) makes the next one later, too late makes it earlier, so
    // the kills gather around the moment of the write whatever the machine's speed; jitter spreads them over it.
    let delay = fullMs;
    for (let i = 0; i < 24; i++) {
      const beforeText = fs.readFileSync(file, 'utf8');
      const beforeDoc = parseEnv(beforeText);
      await runAndKill(args, Math.floor(delay * (0.9 + Math.random() * 0.2)));
      const afterText = fs.readFileSync(file, 'utf8');
      const afterDoc = parseEnv(afterText);
      if (afterText === beforeText) {
        old++;
        delay *= 1.15;
        continue;
      }
      rotated++;
      delay *= 0.85;
      assert.notEqual(getValue(afterDoc, 'JWT_SECRET'), getValue(beforeDoc, 'JWT_SECRET'));
      assert.equal(getValue(afterDoc, 'JWT_SECRET_PREVIOUS'), getValue(beforeDoc, 'JWT_SECRET'));
      assert.equal(without(afterDoc, ['JWT_SECRET', 'JWT_SECRET_PREVIOUS']), without(beforeDoc, ['JWT_SECRET', 'JWT_SECRET_PREVIOUS']));
    }
    const midWrite = fs.readdirSync(dir).filter((n) => n.startsWith('.killed.env.tmp-')).length;
    t.diagnostic(`full run ${fullMs} ms; after kill: ${old} old, ${rotated} new, ${midWrite} killed between temp file and rename`);
    // The lock died with its holders; a normal run still works and sweeps temp files the killed runs left.
    const final = runCli(args);
    assert.equal(final.code, 0, final.stderr);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.tmp-')), []);
  });
});

describe('secret rotate --secret-file killed with SIGKILL at random moments', () => {
  it('leaves the value whole, and FILE.previous never ahead of it', async () => {
    const file = join(dir, 'db_password');
    fs.writeFileSync(file, `${ORIGINAL_JWT}\n`, { mode: 0o600 });
    const args = ['--home', home, 'secret', 'rotate', '--secret-file', file];
    const t0 = Date.now();
    assert.equal(runCli(args).code, 0);
    const fullMs = Date.now() - t0;
    let delay = fullMs;
    for (let i = 0; i < 12; i++) {
      const before = fs.readFileSync(file, 'utf8');
      const previousBefore = fs.readFileSync(`${file}.previous`, 'utf8');
      await runAndKill(args, Math.floor(delay * (0.9 + Math.random() * 0.2)));
      const afterText = fs.readFileSync(file, 'utf8');
      delay *= afterText === before ? 1.15 : 0.85;
      assert.match(afterText, /^[A-Za-z0-9_-]{32,43}\n$/);
      // Either nothing happened, or only FILE.previous was written (with the current value), or both were.
      const previous = fs.readFileSync(`${file}.previous`, 'utf8');
      if (afterText === before) assert.ok(previous === previousBefore || previous === before, 'FILE.previous is the old one or the current value');
      else assert.equal(previous, before, 'a new value always has the value it replaced in FILE.previous');
    }
  });
});

describe('secret rotate from the binary', () => {
  // Node.js 20 treats a script argument --env-file FILE as its own option and applies NODE_OPTIONS from FILE
  // before any JavaScript runs (nodejs/node#54232): the flag is --dotenv, and a service's .env never runs code.
  it('a NODE_OPTIONS line in the target .env runs nothing: --dotenv is not a Node.js option', () => {
    const marker = join(dir, 'pwned');
    const evil = join(dir, 'evil.cjs');
    fs.writeFileSync(evil, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    const file = join(dir, 'hostile.env');
    fs.writeFileSync(file, `NODE_OPTIONS=--require ${evil}\nJWT_SECRET=${ORIGINAL_JWT}\n`, { mode: 0o600 });
    for (const args of [['secret', 'status', '--dotenv', file], ['secret', 'rotate', 'JWT_SECRET', '--dotenv', file]]) {
      const r = runCli(['--home', home, ...args]);
      assert.ok([0, 1].includes(r.code), r.stderr);
      assert.equal(fs.existsSync(marker), false, `${args[1]} let the .env run code`);
    }
    // The rotation kept the line it does not own.
    assert.match(fs.readFileSync(file, 'utf8'), /^NODE_OPTIONS=--require /m);
  });

  it('--then runs without the master passphrase (or any other secret input) in its environment', () => {
    const phraseHome = join(dir, 'phrase-home');
    const env = { AGENTSEC_PASSPHRASE: 'a long passphrase for the master key' };
    assert.equal(runCli(['--home', phraseHome, 'init', '--quiet'], { env }).code, 0);
    const file = join(dir, 'hook.env');
    fs.writeFileSync(file, 'API_TOKEN=x\n', { mode: 0o600 });
    const r = runCli(['--home', phraseHome, 'secret', 'rotate', 'API_TOKEN', '--dotenv', file, '--then', 'env'], { env: { ...env, AGENTSEC_API_KEY: 'ask_not_for_hooks' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^PATH=/m, 'the hook ran and printed its environment');
    assert.doesNotMatch(r.stderr, /AGENTSEC_PASSPHRASE|a long passphrase|AGENTSEC_API_KEY|ask_not_for_hooks/);
  });

  it('refuses --env-file (a Node.js option on Node 20) with a pointer to --dotenv', () => {
    const file = join(dir, 'plain.env');
    fs.writeFileSync(file, 'A=1\n', { mode: 0o600 });
    for (const flag of [['--env-file', file], [`--env-file=${file}`]]) {
      const r = runCli(['--home', home, 'secret', 'rotate', 'A', ...flag]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /use --dotenv FILE/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'A=1\n');
  });

  it('runs the cron example and reports --then on stderr only', () => {
    const file = join(dir, 'cron.env');
    fs.writeFileSync(file, `JWT_SECRET=${ORIGINAL_JWT}\n`, { mode: 0o600 });
    const args = ['--home', home, 'secret', 'rotate', 'JWT_SECRET', '--dotenv', file, '--if-older-than', '30d', '--then', 'echo restarted api'];
    const r = runCli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /restarted api/);
    const fresh = getValue(parseEnv(fs.readFileSync(file, 'utf8')), 'JWT_SECRET') as string;
    assert.ok(!r.stderr.includes(fresh));
    const again = runCli(args);
    assert.equal(again.code, 0);
    assert.doesNotMatch(again.stderr, /restarted api/, 'no write, no reload');
    assert.equal(getValue(parseEnv(fs.readFileSync(file, 'utf8')), 'JWT_SECRET'), fresh);
  });

  it('fails with one line and no stack trace on a bad file', () => {
    const file = join(dir, 'bad.env');
    fs.writeFileSync(file, 'OK=1\nNOT VALID\n', { mode: 0o600 });
    const r = runCli(['--home', home, 'secret', 'rotate', 'OK', '--dotenv', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `agentsec: --dotenv ${file}: line 2: expected NAME=value: fix it and retry (nothing was changed)\n`);
    assert.equal(fs.readFileSync(file, 'utf8'), 'OK=1\nNOT VALID\n');
  });
});
