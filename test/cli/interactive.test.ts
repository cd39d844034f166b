import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCtx } from '../../src/cli/context.js';
import { helpLast, run } from '../../src/cli/main.js';
import { runEnroll } from '../../src/commands/totp/enroll.js';
import { nearestValues } from '../../src/core/suggest.js';
import { count } from '../../src/output/plural.js';
import { tempDir } from '../support/cli.js';
import { fakeIo } from '../support/io.js';

const tmp = tempDir('agentsec-interactive-');
const home = join(tmp.dir, 'home');
after(() => tmp.cleanup());
before(async () => {
  assert.equal(await run(['--home', home, 'init'], fakeIo()), 0);
});

/** Runs in-process with the given TTY flags; `answers` replies to confirmations, recording each question. */
async function cli(args: string[], opts: { tty?: boolean; answers?: boolean[]; env?: Record<string, string | undefined> } = {}) {
  const io = fakeIo({ stdinTTY: opts.tty ?? false, stderrTTY: opts.tty ?? false, stdoutTTY: opts.tty ?? false, ...(opts.env ? { env: opts.env } : {}) });
  const asked: string[] = [];
  const answers = [...(opts.answers ?? [])];
  const code = await run(['--home', home, ...args], io, { ctxOverrides: { confirm: async (q) => (asked.push(q), answers.shift() ?? false) } });
  return { code, out: io.out(), err: io.err(), asked };
}

describe('confirmations on a terminal', () => {
  test('keys revoke asks; "no" changes nothing (exit 1), "yes" revokes, --yes does not ask', async () => {
    const issued = JSON.parse((await cli(['--json', 'keys', 'issue', '--name', 'asked'])).out) as { id: string };
    const no = await cli(['keys', 'revoke', issued.id], { tty: true, answers: [false] });
    assert.equal(no.code, 1);
    assert.match(no.err, /not confirmed; nothing changed/);
    assert.deepEqual(no.asked, [`Revoke API key ${issued.id} (asked)? It stops working at once.`]);
    assert.equal((JSON.parse((await cli(['--json', 'keys', 'show', issued.id])).out) as { key: { status: string } }).key.status, 'active');
    const yes = await cli(['keys', 'revoke', issued.id], { tty: true, answers: [true] });
    assert.equal(yes.code, 0, yes.err);
    assert.equal((JSON.parse((await cli(['--json', 'keys', 'show', issued.id])).out) as { key: { status: string } }).key.status, 'revoked');
    const other = JSON.parse((await cli(['--json', 'keys', 'issue', '--name', 'scripted'])).out) as { id: string };
    const flagged = await cli(['--yes', 'keys', 'revoke', other.id], { tty: true });
    assert.deepEqual([flagged.code, flagged.asked], [0, []]);
  });

  test('jwt revoke --sub, totp remove and enroll --force ask; a token revoked by --jti does not', async () => {
    assert.equal((await cli(['jwt', 'keygen'])).code, 0);
    const tok = JSON.parse((await cli(['--json', 'jwt', 'issue', '--sub', 'svc'])).out) as { jti: string };
    assert.deepEqual((await cli(['jwt', 'revoke', '--jti', tok.jti], { tty: true })).asked, []);
    const sub = await cli(['jwt', 'revoke', '--sub', 'svc'], { tty: true, answers: [false] });
    assert.deepEqual([sub.code, sub.asked], [1, ["Revoke every token issued so far to 'svc'?"]]);
    assert.equal((await cli(['--json', 'totp', 'enroll', 'gail'])).code, 0);
    const force = await cli(['totp', 'enroll', 'gail', '--force'], { answers: [false], tty: false });
    assert.equal(force.code, 2, 'no terminal: refused');
    const forceTty = await cli(['--json', 'totp', 'enroll', 'gail', '--force'], { tty: true, answers: [false] });
    assert.deepEqual([forceTty.code, forceTty.asked.length], [1, 1]);
    const fresh = await cli(['--json', 'totp', 'enroll', 'new-user', '--force'], { tty: true });
    assert.deepEqual([fresh.code, fresh.asked], [0, []], 'nothing to replace: nothing to ask');
    const rm = await cli(['totp', 'remove', 'gail'], { tty: true, answers: [true] });
    assert.deepEqual([rm.code, rm.asked], [0, ["Remove the TOTP enrollment of 'gail'? Its seed and backup codes stop working."]]);
  });
});

describe('terminal rendering', () => {
  test('blocks tail on a color terminal keeps its colors: values are scrubbed before coloring, not after', async () => {
    assert.equal((await cli(['blocks', 'add', '203.0.113.50'])).code, 0);
    const r = await cli(['blocks', 'tail'], { tty: true, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\u001b\[31mblock {2}\u001b\[39m {2}203\.0\.113\.50/);
    assert.doesNotMatch(r.out, /\?\[3\d/);
  });

  test('totp enroll warns when the terminal is narrower than the QR code, and only then', async () => {
    for (const [columns, warned] of [[40, true], [200, false]] as const) {
      const io = fakeIo({ stdinTTY: false, stdoutTTY: true, columns });
      const ctx = createCtx(io, { home, json: false, quiet: false, color: false, yes: false });
      assert.equal(await runEnroll(ctx, {}, [`qr-${columns}`]), 0, io.err());
      if (warned) assert.match(io.err(), /the terminal is 40 columns wide but the QR code needs \d+: widen the window/);
      else assert.doesNotMatch(io.err(), /columns wide/);
    }
  });
});

describe('helpers', () => {
  test('a help flag before the command words moves behind them', () => {
    assert.deepEqual(helpLast(['--help', 'keys', 'issue']), ['keys', 'issue', '--help']);
    assert.deepEqual(helpLast(['--home', '/h', '-h', 'keys']), ['--home', '/h', 'keys', '-h']);
    assert.deepEqual(helpLast(['keys', '--help']), ['keys', '--help']);
    assert.deepEqual(helpLast(['--help']), ['--help']);
    assert.deepEqual(helpLast(['lint', '--', '--help']), ['lint', '--', '--help']);
  });

  test('nearest values: prefixes and small edits, nothing for far-off input', () => {
    assert.deepEqual(nearestValues('nft', ['nginx', 'nftables', 'ipset']), ['nftables']);
    assert.deepEqual(nearestValues('sarf', ['table', 'text', 'json', 'sarif', 'junit']), ['sarif']);
    assert.deepEqual(nearestValues('admn', ['viewer', 'operator', 'admin', 'owner']), ['admin']);
    assert.deepEqual(nearestValues('jsno', ['json', 'text']), ['json']);
    assert.deepEqual(nearestValues('bcrypt', ['owasp', 'rfc9106']), []);
  });

  test('counts say 1 entry, 2 entries', () => {
    assert.equal(count(1, 'entry'), '1 entry');
    assert.equal(count(0, 'entry'), '0 entries');
    assert.equal(count(2, 'checkpoint'), '2 checkpoints');
    assert.equal(count(3, 'day'), '3 days');
    assert.equal(count(2, 'match'), '2 matches');
  });
});
