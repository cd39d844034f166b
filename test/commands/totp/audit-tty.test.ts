import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCtx } from '../../../src/cli/context.js';
import { runEnroll } from '../../../src/commands/totp/enroll.js';
import { decodeQR } from 'qr/decode.js';
import { fakeIo } from '../../support/io.js';
import { activeUser, base32Decode, cli, codeAt, initHome } from './helpers.js';
import { totpCode } from '../../../src/core/totp/otp.js';

const T0 = Date.UTC(2026, 4, 2, 9, 30, 0);
let home: string;
let cleanup: () => void;
before(async () => ({ home, cleanup } = await initHome()));
after(() => cleanup());

describe('audit chain', () => {
  it('enroll, confirm, backup-code use, regenerate, lockout and remove are recorded, never a secret', async () => {
    const e = await activeUser(home, 'alice', T0);
    await cli(home, ['totp', 'verify', 'alice'], { stdin: e.backupCodes[0] as string, now: T0 + 1000 });
    const regen = await cli(home, ['totp', 'backup-codes', 'alice', '--regenerate', '--yes']);
    const wrong = codeAt(e, T0 + 60_000) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await cli(home, ['totp', 'verify', 'alice', '--ip', '198.51.100.4'], { stdin: wrong, now: T0 + 60_000 + i });
    await cli(home, ['totp', 'remove', 'alice', '--yes']);
    const log = await cli(home, ['audit', 'log', '--json']);
    const entries = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    assert.deepEqual(entries.map((x) => x.type), ['audit.init', 'totp.enroll', 'totp.confirm', 'totp.backup-code.use', 'totp.backup-codes.regenerate', 'blocks.block', 'totp.lockout', 'totp.remove']);
    // The fifth failure from --ip also blocks that address (blocks.block, in the same transaction as the lockout).
    for (const x of entries.slice(1).filter((x) => x.type.startsWith('totp.'))) assert.equal(x.data['id'], e.id);
    const lockout = entries.find((x) => x.type === 'totp.lockout');
    assert.equal(lockout?.data['ip'], '198.51.100.4');
    assert.equal(lockout?.data['failures'], 5);
    const exported = (await cli(home, ['audit', 'export'])).stdout + log.stdout;
    const secrets = [e.secret, e.seed.toString('hex'), e.seed.toString('base64'), ...e.backupCodes, ...e.backupCodes.map((c) => c.replace('-', '')), ...regen.stdout.trim().split('\n')];
    for (const s of secrets) assert.ok(!exported.includes(s), `secret in the audit trail: ${s.slice(0, 4)}…`);
  });
});

describe('enroll on a TTY', () => {
  it('shows a QR code that decodes to the URI, asks for the code and confirms at once', async () => {
    const io = fakeIo({ stdinTTY: true, stdoutTTY: true });
    const ctx = createCtx(io, { home, json: false, quiet: false, color: false, yes: false }, { clock: () => new Date(T0) });
    const prompts: string[] = [];
    const prompt = async (message: string): Promise<string> => {
      prompts.push(message);
      if (prompts.length === 1) return '12345'; // a typo first: asked again
      const secret = /secret\s+([A-Z2-7]+)/.exec(io.out())?.[1] as string;
      return totpCode(base32Decode(secret), { algorithm: 'SHA1', digits: 6, period: 30 }, T0);
    };
    const code = await runEnroll(ctx, { algorithm: 'SHA1', digits: '6', period: '30' }, ['tty-user'], prompt);
    assert.equal(code, 0, io.err());
    assert.equal(prompts.length, 2);
    const out = io.out();
    const uri = /uri\s+(otpauth:\S+)/.exec(out)?.[1] as string;
    assert.match(uri, /^otpauth:\/\/totp\/agentsec:tty-user\?secret=/);
    // The block drawing comes first; read it back into pixels and decode it.
    const drawing = out.split('\n').filter((l) => /^[█▀▄ ]+$/.test(l) && l.length > 20);
    const rows: boolean[][] = [];
    for (const line of drawing) {
      rows.push([...line].map((ch) => !(ch === '█' || ch === '▀')), [...line].map((ch) => !(ch === '█' || ch === '▄')));
    }
    const scale = 4;
    const w = (rows[0]?.length ?? 0) * scale;
    const h = rows.length * scale;
    const data = new Uint8Array(w * h * 3).fill(255);
    rows.forEach((r, y) => r.forEach((dark, x) => {
      if (dark) for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) data.fill(0, ((y * scale + dy) * w + x * scale + dx) * 3, ((y * scale + dy) * w + x * scale + dx) * 3 + 3);
    }));
    assert.equal(decodeQR({ width: w, height: h, data }), uri);
    const codes = out.split('\n').filter((l) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(l));
    assert.equal(codes.length, 10);
    const list = await cli(home, ['--json', 'totp', 'list']);
    assert.equal((JSON.parse(list.stdout) as { users: Array<{ user: string; status: string }> }).users.find((u) => u.user === 'tty-user')?.status, 'active');
  });

  it('three wrong codes leave the enrollment pending and exit 1', async () => {
    const io = fakeIo({ stdinTTY: true, stdoutTTY: true });
    const ctx = createCtx(io, { home, json: false, quiet: false, color: false, yes: false }, { clock: () => new Date(T0) });
    // A wrong code for certain: the right one, with its last digit changed.
    const wrong = async (): Promise<string> => {
      const secret = /secret\s+([A-Z2-7]+)/.exec(io.out())?.[1] as string;
      const right = totpCode(base32Decode(secret), { algorithm: 'SHA1', digits: 6, period: 30 }, T0);
      return `${right.slice(0, 5)}${(Number(right[5]) + 1) % 10}`;
    };
    const code = await runEnroll(ctx, {}, ['tty-two'], wrong);
    assert.equal(code, 1);
    assert.match(io.err(), /still pending: run agentsec totp confirm tty-two/);
  });

  it('--json on a TTY prints the URI and secret and leaves the enrollment pending', async () => {
    const io = fakeIo({ stdinTTY: true, stdoutTTY: true });
    const ctx = createCtx(io, { home, json: true, quiet: false, color: false, yes: false }, { clock: () => new Date(T0) });
    assert.equal(await runEnroll(ctx, {}, ['tty-json'], async () => assert.fail('no prompt with --json')), 0);
    const doc = JSON.parse(io.out()) as { status: string; uri: string; secret: string };
    assert.equal(doc.status, 'pending');
    assert.ok(doc.uri.includes(doc.secret));
  });
});

describe('enroll with stdout on a terminal but stdin redirected', () => {
  it('draws the QR code above the URI and secret, asks nothing, stays pending', async () => {
    const io = fakeIo({ stdinTTY: false, stdoutTTY: true });
    const ctx = createCtx(io, { home, json: false, quiet: false, color: false, yes: false }, { clock: () => new Date(T0) });
    assert.equal(await runEnroll(ctx, {}, ['half-tty'], async () => assert.fail('no prompt without a TTY on stdin')), 0);
    const lines = io.out().trim().split('\n');
    assert.match(lines[0] as string, /^[█▀▄ ]+$/);
    assert.match(lines[lines.length - 2] as string, /^otpauth:\/\/totp\/agentsec:half-tty\?secret=/);
    assert.match(lines[lines.length - 1] as string, /^[A-Z2-7]{32}$/);
    assert.match(io.err(), /pending/);
  });
});
