import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../src/cli/main.js';
import { displayWidth, fitTable, truncate, wrapText } from '../../src/output/fit.js';
import { progress } from '../../src/output/progress.js';
import { ROOT, tempDir } from '../support/cli.js';
import { fakeIo } from '../support/io.js';

const tmp = tempDir('agentsec-width-');
const home = join(tmp.dir, 'home');
after(() => tmp.cleanup());
const keyIds: string[] = [];
let kid = '';

/** Runs in-process with stdout a terminal of `columns` columns. */
async function render(args: string[], columns: number): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ stdoutTTY: true, columns, cwd: ROOT });
  const code = await run(['--home', home, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

before(async () => {
  const quiet = async (args: string[]) => {
    const io = fakeIo({ cwd: ROOT });
    assert.equal(await run(['--home', home, ...args], io), 0, io.err());
    return io.out();
  };
  await quiet(['init']);
  // Realistic worst cases: long names, several scopes, an expiry; long user names; a thumbprint kid.
  for (const name of ['ci-deploy-production-eu-west-1', 'metrics', 'nightly-backup-agent-for-the-vector-store']) {
    keyIds.push((JSON.parse(await quiet(['--json', 'keys', 'issue', '--name', name, '--scope', 'memory:read', '--scope', 'metrics:read', '--scope', 'tools:execute', '--expires', '90d'])) as { id: string }).id);
  }
  for (const user of ['alice', 'bob.operator+oncall@agents.example.com']) await quiet(['--json', 'totp', 'enroll', user]);
  kid = (await quiet(['jwt', 'keygen'])).trim();
  await quiet(['blocks', 'add', '2001:db8:aaaa:bbbb::/64', '--reason', 'credential stuffing from a hosting range, reported by the upstream WAF']);
});

const ANSI = /\u001b\[[0-9;]*m/g;
function assertFits(out: string, columns: number, what: string): void {
  for (const line of out.split('\n')) assert.ok(displayWidth(line) <= columns, `${what} at ${columns}: ${displayWidth(line)} > ${columns}:\n${line}`);
}

describe('tables fit the terminal', () => {
  for (const columns of [80, 120]) {
    test(`keys list, totp list, jwt keys, blocks list, doctor and lint rules at ${columns} columns`, async () => {
      for (const args of [['keys', 'list'], ['totp', 'list'], ['jwt', 'keys'], ['blocks', 'list'], ['doctor'], ['lint', 'rules']]) {
        const r = await render(args, columns);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
        assertFits(r.out, columns, args.join(' '));
      }
      const keys = (await render(['keys', 'list'], columns)).out;
      for (const id of keyIds) assert.ok(keys.includes(id), `key id ${id} whole at ${columns}`);
      assert.ok((await render(['jwt', 'keys'], columns)).out.includes(kid), 'the kid is never cut');
      assert.match((await render(['totp', 'list'], columns)).out, /bob\.operator\+oncall@agents\.example\.com/);
      assert.match((await render(['lint', 'rules'], columns)).out, /compose\/docker-socket/);
    });

    test(`the lint table at ${columns} columns keeps rule ids and positions whole`, async () => {
      const r = await render(['lint', 'examples/insecure-agent'], columns);
      assert.equal(r.code, 1);
      assertFits(r.out.replace(ANSI, ''), columns, 'lint');
      for (const id of ['compose/docker-socket', 'agent/default-secret', 'dockerfile/root-user']) assert.ok(r.out.includes(id), `${id} at ${columns}`);
    });
  }

  test('120 columns show what 80 leaves out, and say so at 80', async () => {
    const narrow = await render(['keys', 'list'], 80);
    const wide = await render(['keys', 'list'], 120);
    assert.match(wide.out, /SCOPES/);
    assert.doesNotMatch(narrow.out, /SCOPES/);
    assert.match(narrow.err, /SCOPES.* left out to fit 80 columns/);
    assert.doesNotMatch(wide.err, /left out/);
    // The message column of lint is a table at 120, one block per finding at 80: never wrapped into a mess.
    assert.match((await render(['lint', 'examples/insecure-agent'], 120)).out, /│ LINE\s+│ SEVERITY │ RULE/);
    assert.match((await render(['lint', 'examples/insecure-agent'], 80)).out, /^ {2}\d+:\d+ {2}\w+ {2}[a-z]+\/[a-z-]+$/m);
  });

  test('too narrow for any table: one block per row, nothing cut', async () => {
    const r = await render(['keys', 'list'], 40);
    assert.doesNotMatch(r.out, /[┌│]/, 'no table');
    for (const id of keyIds) assert.match(r.out, new RegExp(`^ID +${id}$`, 'm'));
    assert.match(r.out, /^NAME +nightly-backup-agent-for-the-vector-store$/m);
  });

  test('piped output is every column, whole, tab-separated', async () => {
    const io = fakeIo({ cwd: ROOT });
    await run(['--home', home, 'keys', 'list'], io);
    assert.match(io.out(), /\tmemory:read,metrics:read,tools:execute\tactive\t/);
  });
});

describe('fitting', () => {
  test('truncates the widest cut-able column first, never below its header, never a kept one', () => {
    const layout = fitTable(['ID', 'NAME', 'NOTE'], [['key_0123456789abcdef', 'a-rather-long-name', 'x'.repeat(40)]], [{ keep: true }, {}, {}], 60);
    assert.equal(layout.kind, 'table');
    if (layout.kind !== 'table') return;
    assert.equal(layout.widths[0], 20);
    assert.ok((layout.widths[1] as number) >= 4 && (layout.widths[2] as number) >= 4);
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abc', 4), 'abc');
  });

  test('drops columns by priority, then goes vertical', () => {
    const specs = [{ keep: true }, { keep: true, drop: 1 }, { keep: true, drop: 2 }];
    const cells = [['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(30)]];
    const two = fitTable(['A', 'B', 'C'], cells, specs, 70);
    assert.deepEqual(two.kind === 'table' ? two.columns : two.kind, [0, 1]);
    assert.equal(fitTable(['A', 'B', 'C'], cells, specs, 20).kind, 'vertical');
  });

  test('wraps text at spaces and cuts only words longer than the line', () => {
    assert.deepEqual(wrapText('one two three four', 9), ['one two', 'three', 'four']);
    assert.deepEqual(wrapText('/a/very/long/path', 6), ['/a/ver', 'y/long', '/path']);
  });
});

describe('progress', () => {
  test('drawn on a terminal after the delay, throttled, cleared at the end; never when piped, quiet or --json', () => {
    let t = 0;
    const tty = fakeIo({ stderrTTY: true, columns: 80 });
    const bar = progress(tty.stderr, { label: 'linting', unit: 'files', quiet: false, json: false, now: () => t });
    bar.update(1, 10);
    t = 600;
    bar.update(2, 10);
    t = 650;
    bar.update(3, 10);
    t = 800;
    bar.update(4, 10);
    bar.end();
    assert.equal(tty.err(), '\rlinting 2/10 files (20%)\u001b[K\rlinting 4/10 files (40%)\u001b[K\r\u001b[K');
    for (const [io, quiet, json] of [[fakeIo({ stderrTTY: false }), false, false], [fakeIo({ stderrTTY: true }), true, false], [fakeIo({ stderrTTY: true }), false, true]] as const) {
      t = 0;
      const p = progress(io.stderr, { label: 'x', unit: 'y', quiet, json, now: () => t });
      t = 10_000;
      p.update(5);
      p.end();
      assert.equal(io.err(), '');
    }
  });
});
