import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnv, serializeEnv } from '../../../src/core/secrets/env-file.js';
import { parseSecretFile, planEnvRotation, planSecretFileRotation, type RotateOptions } from '../../../src/core/secrets/rotation.js';
import { AgentsecError } from '../../../src/core/errors.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const counter = () => {
  let i = 0;
  return () => `new${++i}-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
};
const OPTS: RotateOptions = { create: false, keepPrevious: true };
const OLD = 'old-value-4Jq9xZ2mR7tW1pL8vN3kB6yH';

describe('planEnvRotation', () => {
  it('rotates, keeps the previous value next to it, touches nothing else', () => {
    const doc = parseEnv(`# c\nexport JWT_SECRET="${OLD}"\nPORT=3000\n`);
    const plan = planEnvRotation(doc, ['JWT_SECRET'], OPTS, () => undefined, NOW, counter());
    assert.equal(serializeEnv(doc), `# c\nexport JWT_SECRET="new1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\nexport JWT_SECRET_PREVIOUS="${OLD}"\nPORT=3000\n`);
    assert.equal(plan.changed, true);
    assert.equal(plan.secrets[0]?.action, 'rotated');
    assert.equal(plan.secrets[0]?.previous, 'kept');
    assert.equal(plan.values.get('JWT_SECRET'), 'new1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.ok(!JSON.stringify(plan.secrets).includes('new1'), 'no value in the serialisable report');
  });
  it('copies the old value verbatim, so every reader sees the same text in NAME_PREVIOUS', () => {
    const doc = parseEnv(`A=${OLD}#tail # comment\nB="${OLD}\\"q\\\\"\n`);
    planEnvRotation(doc, ['A', 'B'], OPTS, () => undefined, NOW, counter());
    const text = serializeEnv(doc);
    assert.ok(text.includes(`\nA_PREVIOUS=${OLD}#tail\n`), text);
    assert.ok(text.includes(`\nB_PREVIOUS="${OLD}\\"q\\\\"\n`), text);
  });
  it('re-encodes the old value for a NAME_PREVIOUS quoted differently', () => {
    const doc = parseEnv(`A='${OLD} x'\nA_PREVIOUS=\n`);
    planEnvRotation(doc, ['A'], OPTS, () => undefined, NOW, counter());
    assert.ok(serializeEnv(doc).endsWith(`\nA_PREVIOUS='${OLD} x'\n`), serializeEnv(doc));
  });
  it('overwrites an existing NAME_PREVIOUS in place', () => {
    const doc = parseEnv(`A_PREVIOUS=older\nA=${OLD}\n`);
    planEnvRotation(doc, ['A'], OPTS, () => undefined, NOW, counter());
    assert.equal(serializeEnv(doc), `A_PREVIOUS=${OLD}\nA=new1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n`);
  });
  it('refuses an absent name without --create, changing nothing', () => {
    const text = `A=${OLD}\n`;
    const doc = parseEnv(text);
    assert.throws(() => planEnvRotation(doc, ['A', 'B'], OPTS, () => undefined, NOW, counter()), (e: unknown) => e instanceof AgentsecError && e.exitCode === 2 && /B not found/.test(e.message));
    assert.equal(serializeEnv(doc), text);
  });
  it('creates an absent name with --create', () => {
    const doc = parseEnv('A=1\n');
    const plan = planEnvRotation(doc, ['B'], { ...OPTS, create: true }, () => undefined, NOW, counter());
    assert.equal(serializeEnv(doc), 'A=1\nB=new1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
    assert.equal(plan.secrets[0]?.action, 'created');
  });
  it('skips a recently rotated secret with --if-older-than, rotates an old or untracked one', () => {
    const text = `A=${OLD}\nB=${OLD}\nC=${OLD}\n`;
    const doc = parseEnv(text);
    const last = (n: string) => (n === 'A' ? ago(3) : n === 'B' ? ago(31) : undefined);
    const plan = planEnvRotation(doc, ['A', 'B', 'C'], { ...OPTS, ifOlderThanMs: 30 * DAY }, last, NOW, counter());
    assert.deepEqual(plan.secrets.map((s) => s.action), ['skipped', 'rotated', 'rotated']);
    assert.ok(serializeEnv(doc).startsWith(`A=${OLD}\nB=new1`));
  });
  it('drops the previous value once the grace is over, keeps it before', () => {
    const text = `A=${OLD}\nA_PREVIOUS=${OLD}x\n`;
    const within = parseEnv(text);
    const p1 = planEnvRotation(within, ['A'], { ...OPTS, ifOlderThanMs: 30 * DAY, graceMs: DAY }, () => new Date(NOW.getTime() - DAY / 2), NOW, counter());
    assert.equal(p1.changed, false);
    assert.equal(p1.secrets[0]?.previous, 'unchanged');
    assert.equal(serializeEnv(within), text);
    const after = parseEnv(text);
    const p2 = planEnvRotation(after, ['A'], { ...OPTS, ifOlderThanMs: 30 * DAY, graceMs: DAY }, () => ago(2), NOW, counter());
    assert.equal(p2.changed, true);
    assert.equal(p2.secrets[0]?.previous, 'dropped');
    assert.equal(serializeEnv(after), `A=${OLD}\n`);
  });
  it('keeps an untracked NAME_PREVIOUS even after the grace (its age is unknown)', () => {
    const doc = parseEnv(`A=${OLD}\nA_PREVIOUS=x\n`);
    const p = planEnvRotation(doc, ['A'], { ...OPTS, ifOlderThanMs: 30 * DAY, graceMs: DAY }, () => undefined, NOW, counter());
    assert.equal(p.secrets[0]?.action, 'rotated');
    assert.equal(p.secrets[0]?.previous, 'kept');
  });
  it('with --no-keep-previous removes a stale NAME_PREVIOUS', () => {
    const doc = parseEnv(`A=${OLD}\nA_PREVIOUS=older\n`);
    const p = planEnvRotation(doc, ['A'], { ...OPTS, keepPrevious: false }, () => undefined, NOW, counter());
    assert.equal(serializeEnv(doc), 'A=new1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
    assert.equal(p.secrets[0]?.previous, 'removed');
  });
  it('never keeps a template default or an empty value as the previous value', () => {
    const doc = parseEnv('JWT_SECRET=your-super-secret-jwt-key-change-in-production\nE=\n');
    const p = planEnvRotation(doc, ['JWT_SECRET', 'E'], OPTS, () => undefined, NOW, counter());
    assert.ok(!serializeEnv(doc).includes('change-in-production'));
    assert.ok(!serializeEnv(doc).includes('_PREVIOUS'));
    assert.deepEqual(p.secrets.map((s) => s.previous), ['not-kept-weak', 'not-kept-weak']);
  });
  it('rotates each name once even if given twice', () => {
    const doc = parseEnv(`A=${OLD}\n`);
    const p = planEnvRotation(doc, ['A', 'A'], OPTS, () => undefined, NOW, counter());
    assert.equal(p.secrets.length, 1);
  });
});

describe('secrets files', () => {
  it('parse the value with at most one final newline', () => {
    assert.deepEqual(parseSecretFile('v'), { value: 'v', eol: '' });
    assert.deepEqual(parseSecretFile('v\n'), { value: 'v', eol: '\n' });
    assert.deepEqual(parseSecretFile('v\r\n'), { value: 'v', eol: '\r\n' });
    assert.deepEqual(parseSecretFile(''), { value: '', eol: '' });
    for (const bad of ['a\nb', 'a\n\n', 'a\nb\n']) assert.throws(() => parseSecretFile(bad), AgentsecError);
  });
  it('plan the file and FILE.previous', () => {
    const p = planSecretFileRotation('db_password', { value: OLD, eol: '\n' }, false, OPTS, undefined, NOW, counter());
    assert.equal(p.newText, 'new1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
    assert.equal(p.previousText, `${OLD}\n`);
    const skip = planSecretFileRotation('x', { value: OLD, eol: '' }, true, { ...OPTS, ifOlderThanMs: 30 * DAY, graceMs: DAY }, ago(2), NOW, counter());
    assert.equal(skip.newText, undefined);
    assert.equal(skip.previousText, null);
    assert.equal(skip.plan.previous, 'dropped');
  });
});
