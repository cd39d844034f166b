import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, runCli, tempDir, type CliResult } from '../support/cli.js';

const tmp = tempDir('agentsec-conv-');
after(() => tmp.cleanup());
const home = join(tmp.dir, 'home');
const A = (args: string[], opts: { input?: string; cwd?: string } = {}): CliResult => runCli(['--home', home, ...args], { ...opts, env: { NO_COLOR: '1' } });

function oneLine(r: CliResult, code: number, pattern: RegExp, what: string): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${what}: one line, got: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, what);
  assert.match(r.stderr, pattern, what);
}

before(() => {
  const r = A(['init', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
});

describe('bugs', () => {
  test('init prints the audit public key on every run, so `init --quiet > audit.pub` run twice keeps the key', () => {
    const first = A(['init', '--quiet']).stdout;
    const second = A(['init', '--quiet']);
    assert.equal(second.code, 0);
    assert.match(first, /^ed25519:\S+\n$/);
    assert.equal(second.stdout, first, 'the same key on stdout, not an empty file');
  });

  test('blocks ingest of a missing file is a one-line usage error, not "internal error: ENOENT"', () => {
    oneLine(A(['blocks', 'ingest', join(tmp.dir, 'missing.log')]), 2, /log file .*missing\.log: no such file or directory/, 'ingest missing');
    oneLine(A(['blocks', 'ingest', tmp.dir]), 2, /is a directory/, 'ingest a directory');
  });

  test('blocks export --json gives one JSON document, with or without --output', () => {
    assert.equal(A(['blocks', 'add', '198.51.100.7']).code, 0);
    const doc = JSON.parse(A(['--json', 'blocks', 'export', '--format', 'plain']).stdout) as { schemaVersion: number; format: string; blocks: number; content: string };
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.format, 'plain');
    assert.equal(doc.blocks, 1);
    assert.match(doc.content, /^198\.51\.100\.7$/m);
    const out = join(tmp.dir, 'deny.conf');
    const written = JSON.parse(A(['blocks', 'export', '--json', '--format', 'nginx', '--output', out]).stdout) as { output: string; blocks: number };
    assert.deepEqual([written.output, written.blocks], [out, 1]);
    assert.ok(existsSync(out));
  });

  test('messages use singular and plural; a permanent block is not "until never"', () => {
    const one = A(['audit', 'append'], { input: '{"type":"app.one"}\n' });
    assert.match(one.stderr, /appended 1 entry \(seq \d+\)/);
    const two = A(['audit', 'append'], { input: '{"type":"app.one"}\n{"type":"app.two"}\n' });
    assert.match(two.stderr, /appended 2 entries \(seq \d+\.\.\d+\)/);
    assert.match(A(['audit', 'export']).stderr, /exported \d+ entries and 1 checkpoint\n/);
    const perm = A(['blocks', 'add', '2001:db8:dead::/48', '--permanent']);
    assert.match(perm.stderr, /blocked 2001:db8:dead::\/48 permanently/);
    assert.doesNotMatch(perm.stderr + A(['blocks', 'tail']).stdout, /until never/);
    assert.match(A(['blocks', 'tail']).stdout, /2001:db8:dead::\/48\tpermanent\t/);
  });

  test('audit log --limit N is the first (oldest) N, -n/--last N the newest N, both oldest first', () => {
    const all = A(['audit', 'log', '--json']).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.ok(all.length >= 4);
    const seqs = (args: string[]) => A(['audit', 'log', '--json', ...args]).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs(['--limit', '2']), all.slice(0, 2));
    assert.deepEqual(seqs(['-n', '2']), all.slice(-2));
    assert.deepEqual(seqs(['--last', '3']), all.slice(-3));
    oneLine(A(['audit', 'log', '--limit', '1', '--last', '1']), 2, /not both/, 'both');
  });
});

describe('exit codes', () => {
  test('a missing input path is exit 2 (one line) in every command that reads one', () => {
    const missing = join(tmp.dir, 'no-such-file');
    const cases: Array<[string[], string?]> = [
      [['lint', missing]],
      [['keys', 'scan', missing]],
      [['blocks', 'import', '--from', 'fail2ban', missing]],
      [['blocks', 'ingest', missing]],
      [['secret', 'rotate', 'A', '--dotenv', missing]],
      [['secret', 'rotate', '--secret-file', missing]],
      [['secret', 'status', '--dotenv', missing]],
      [['keys', 'verify', '--key-file', missing]],
      [['jwt', 'verify', '--token-file', missing]],
      [['jwt', 'decode', '--token-file', missing]],
      [['jwt', 'keygen', '--alg', 'HS256', '--secret-file', missing]],
      [['password', 'verify', '--hash-file', missing], 'pw'],
      [['audit', 'verify', '--pubkey-file', missing]],
      [['audit', 'verify', '--jsonl', missing]],
      [['lint', '.', '--config', missing]],
    ];
    for (const [args, input] of cases) oneLine(A(args, input !== undefined ? { input } : {}), 2, /no-such-file/, args.join(' '));
  });

  test('an --output or --state file in a missing directory is exit 2 everywhere, and no directory is created', () => {
    const dir = join(tmp.dir, 'not', 'there');
    const pubkey = A(['init', '--quiet']).stdout.trim();
    const cases: string[][] = [
      ['lint', '.', '--format', 'sarif', '--output', join(dir, 'a.sarif')],
      ['audit', 'export', '--output', join(dir, 'a.jsonl')],
      ['audit', 'verify', '--pubkey', pubkey, '--state', join(dir, 'state.json')],
      ['jwt', 'jwks', '--output', join(dir, 'jwks.json')],
      ['blocks', 'export', '--output', join(dir, 'deny.conf')],
      ['totp', 'backup-codes', 'nobody', '--regenerate', '--yes', '--output', join(dir, 'codes.txt')],
    ];
    for (const args of cases) oneLine(A(args, { cwd: tmp.dir }), 2, /directory .*not.* does not exist: create it first/, args.join(' '));
    assert.ok(!existsSync(join(tmp.dir, 'not')), 'no directory created');
  });
});

test('lint --output into a device writes into it, never renames a file over it (the report is atomic otherwise)', () => {
  const r = A(['lint', 'examples/hardened-agent', '--format', 'sarif', '--output', '/dev/null']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is still the device');
});

describe('help', () => {
  test('GROUP help CMD exits 0 in every group, and --help before the command shows that command', () => {
    for (const [args, usage] of [
      [['keys', 'help', 'issue'], 'agentsec keys issue'],
      [['secret', 'help', 'rotate'], 'agentsec secret rotate'],
      [['totp', 'help', 'enroll'], 'agentsec totp enroll'],
      [['audit', 'help', 'verify'], 'agentsec audit verify'],
      [['--help', 'keys'], 'agentsec keys'],
      [['-h', 'keys', 'issue'], 'agentsec keys issue'],
      [['help', 'blocks', 'export'], 'agentsec blocks export'],
    ] as const) {
      const r = A([...args]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: ${usage} \\[options\\]`), args.join(' '));
    }
  });

  test('the root and every group page have examples', () => {
    for (const args of [['--help'], ['keys', '--help'], ['audit', '--help'], ['secret', '--help'], ['password', '--help'], ['jwt', '--help'], ['totp', '--help'], ['blocks', '--help'], ['lint', '--help']]) {
      assert.match(A(args).stdout, /\nExamples:\n {2}\$ agentsec /, args.join(' '));
    }
  });

  test("a typo points to the help of the command it was made in, with the nearest name or value", () => {
    oneLine(A(['keys', 'isue']), 2, /unknown command 'isue': did you mean issue\? \(see agentsec keys --help\)\n/, 'subcommand typo');
    oneLine(A(['keys', 'issue', '--nmae', 'x']), 2, /\(see agentsec keys issue --help\)\n/, 'option typo');
    oneLine(A(['blocks', 'export', '--format', 'nft']), 2, /--format: unknown value 'nft': did you mean nftables\?/, 'enum value');
    oneLine(A(['lint', '--format', 'sarf']), 2, /did you mean sarif\?/, 'lint format');
    oneLine(A(['keys', 'issue', '--name', 'x', '--role', 'admn']), 2, /did you mean admin\?/, 'role');
    oneLine(A(['lint', 'rule']), 2, /did you mean agentsec lint rules\?/, 'lint rule');
  });
});

describe('confirmations and shown-once output', () => {
  function issueKey(name: string): string {
    const r = A(['--json', 'keys', 'issue', '--name', name]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { id: string }).id;
  }

  test('destructive commands refuse without a terminal unless --yes, and change nothing when refused', () => {
    const id = issueKey('confirm-me');
    oneLine(A(['keys', 'revoke', id]), 2, /keys revoke asks for confirmation .*pass --yes/, 'keys revoke');
    assert.equal((JSON.parse(A(['--json', 'keys', 'show', id]).stdout) as { key: { status: string } }).key.status, 'active');
    assert.equal(A(['keys', 'revoke', id, '--yes']).code, 0);
    assert.equal((JSON.parse(A(['--json', 'keys', 'show', id]).stdout) as { key: { status: string } }).key.status, 'revoked');
    oneLine(A(['jwt', 'revoke', '--sub', 'alice']), 2, /jwt revoke --sub asks for confirmation/, 'jwt revoke --sub');
    assert.equal(A(['--json', 'totp', 'enroll', 'erin']).code, 0);
    oneLine(A(['totp', 'enroll', 'erin', '--force']), 2, /totp enroll --force asks for confirmation/, 'enroll --force');
    oneLine(A(['totp', 'remove', 'erin']), 2, /totp remove asks for confirmation/, 'totp remove');
    assert.match(A(['totp', 'list']).stdout, /^erin\t/m, 'still enrolled');
    assert.equal(A(['-y', 'totp', 'remove', 'erin']).code, 0);
  });

  test('backup-codes --regenerate refuses a pipe before replacing anything, and writes all codes to a file or --output', async () => {
    const { totpCode } = await import('../../src/core/totp/otp.js');
    const { base32Decode } = await import('../commands/totp/helpers.js');
    const enrolled = JSON.parse(A(['--json', 'totp', 'enroll', 'frank']).stdout) as { secret: string };
    const code = totpCode(base32Decode(enrolled.secret), { algorithm: 'SHA1', digits: 6, period: 30 }, Date.now());
    const confirmed = JSON.parse(A(['--json', 'totp', 'confirm', 'frank'], { input: code }).stdout) as { backupCodes: string[] };
    const old = confirmed.backupCodes;
    oneLine(A(['totp', 'backup-codes', 'frank', '--regenerate', '--output', join(tmp.dir, 'unasked.txt')]), 2, /asks for confirmation/, 'needs --yes');
    assert.ok(!existsSync(join(tmp.dir, 'unasked.txt')));
    // runCli's stdout is a pipe, like `| head -2`: refused before anything changes.
    oneLine(A(['totp', 'backup-codes', 'frank', '--regenerate', '--yes']), 2, /shown only once and a pipe's reader may keep only some of them/, 'pipe');
    assert.equal(A(['totp', 'verify', 'frank'], { input: old[0] as string }).stdout.trim(), 'VALID_BACKUP_CODE', 'the old codes still work');
    // Redirected to a file: every code is written, then the old ones stop working.
    const file = join(tmp.dir, 'codes.txt');
    const fd = openSync(file, 'w', 0o600);
    const r = spawnSync(process.execPath, [BIN, '--home', home, 'totp', 'backup-codes', 'frank', '--regenerate', '--yes'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
    closeSync(fd);
    assert.equal(r.status, 0, r.stderr);
    const fresh = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(fresh.length, 10);
    assert.equal(A(['totp', 'verify', 'frank'], { input: old[1] as string }).stdout.trim(), 'INVALID', 'replaced');
    assert.equal(A(['totp', 'verify', 'frank'], { input: fresh[0] as string }).stdout.trim(), 'VALID_BACKUP_CODE');
    // --output: atomically, 0600.
    const out = join(tmp.dir, 'frank-codes.txt');
    assert.equal(A(['totp', 'backup-codes', 'frank', '--regenerate', '--yes', '--output', out]).code, 0);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const viaOutput = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(viaOutput.length, 10);
    assert.equal(A(['totp', 'verify', 'frank'], { input: viaOutput[0] as string }).stdout.trim(), 'VALID_BACKUP_CODE');
  });
});
