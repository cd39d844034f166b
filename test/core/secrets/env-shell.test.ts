import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getValue, parseEnv, serializeEnv, setValue, type EnvDocument } from '../../../src/core/secrets/env-file.js';
import { planEnvRotation } from '../../../src/core/secrets/rotation.js';
import { tempDir } from '../../support/cli.js';

/**
 * Many deployment scripts load a `.env` with `set -a; . ./.env`, often as root. Whatever the editor writes must
 * make such a shell run nothing, and read back what a dotenv reader (this parser) reads. Checked with the real
 * shells: /bin/sh (dash on Debian) and bash.
 */

const SHELLS = ['/bin/sh', '/bin/bash', '/usr/bin/bash', '/bin/dash'].filter((p, i, all) => fs.existsSync(p) && all.findIndex((q) => fs.existsSync(q) && fs.realpathSync(q) === fs.realpathSync(p)) === i);

/** Sources `text` in a fresh directory with `shell`; returns the exported variables, stderr, and any file a command created. */
function source(shell: string, text: string, decoys: readonly string[] = []): { vars: Map<string, string>; stderr: string; created: string[] } {
  const { dir, cleanup } = tempDir('agentsec-shell-');
  try {
    fs.writeFileSync(join(dir, 'f.env'), text);
    // Files a glob in an unquoted `export K=...` word would match, in shells that expand those words (older dash).
    for (const d of decoys) fs.writeFileSync(join(dir, d), '');
    // stdin is not a socket and HOME is the empty temp dir: bash would otherwise read ~/.bashrc (it does when it
    // believes a remote shell daemon started it, which a socket on stdin looks like).
    const r = spawnSync(shell, ['-c', 'set -a; . ./f.env; env -0'], { cwd: dir, env: { PATH: '/usr/bin:/bin', HOME: dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const vars = new Map<string, string>();
    for (const kv of r.stdout.split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) vars.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return { vars, stderr: r.stderr, created: fs.readdirSync(dir).filter((n) => n !== 'f.env' && !decoys.includes(n)) };
  } finally {
    cleanup();
  }
}

/** Values a shell must read back exactly. Each would run or break something if written carelessly. */
const VALUES = [
  'plain', '', 'two words', ' leading', 'trailing ', 'a#b', '#start', 'x # not a comment', 'semi;touch pwned-semi', 'and&&touch pwned-and',
  'pipe|touch pwned-pipe', 'redir>pwned-redir', 'sub(shell)', '$(touch pwned-dollar)', '`touch pwned-backquote`', '${HOME}', '$HOME', 'cost $5',
  "it's", 'say "hi"', `both ' and "`, "it's $(touch pwned-both) `touch pwned-both2`", 'back\\slash', 'end\\', '~/tilde', 'a~b', 'star*', 'q?',
  '{a,b}', '!bang', 'tab\there', 'k=v=w', 'ünïcødé ✓', 'AbC+/dE==', 'hex0123456789abcdef', '-dash', 'a\\$b', 'a\\`b',
];
/** Values a shell cannot read back from any dotenv-compatible encoding (it keeps `\n` as two characters), but must not run. */
const INERT_ONLY = ['line1\nline2 $(touch pwned-nl)', 'cr\rhere'];

/** The line shapes a value is set into: every quoting style, spacing around =, export, inline comments. */
const SHAPES = ['K=x', "K='x'", 'K="x"', 'K=`x`', 'K= x', 'K = x', 'export K=x', 'K=x # comment', 'K= # comment', 'K=#tail', "K='x'# c", '  K="x" # c'];

function keyed(shape: string, key: string): string {
  return shape.replace(/\bK\b/, key);
}

describe('.env edits are safe to source from a shell', { skip: SHELLS.length === 0 ? 'no /bin/sh or bash here' : undefined }, () => {
  it('setValue: every value in every line shape reads back exactly and runs nothing', () => {
    const lines: string[] = [];
    const want = new Map<string, string>();
    let n = 0;
    for (const shape of SHAPES) {
      for (const v of [...VALUES, ...INERT_ONLY]) {
        const key = `K${n++}`;
        lines.push(keyed(shape, key));
        want.set(key, v);
      }
    }
    const doc = parseEnv(`${lines.join('\n')}\n`);
    for (const [k, v] of want) setValue(doc, k, v);
    const text = serializeEnv(doc);
    const reread = parseEnv(text);
    for (const [k, v] of want) assert.equal(getValue(reread, k), v, `${k} for a dotenv reader`);
    for (const shell of SHELLS) {
      const r = source(shell, text);
      assert.equal(r.stderr, '', `${shell}: ${r.stderr}`);
      assert.deepEqual(r.created, [], `${shell} ran a command`);
      for (const [k, v] of want) if (!INERT_ONLY.includes(v)) assert.equal(r.vars.get(k), v, `${shell}: ${k} (${JSON.stringify(v)}) in ${JSON.stringify(text.split('\n').find((l) => l.includes(`${k}=`)))}`);
    }
  });

  it('rotation: new values and the kept previous values, from hostile original lines, run nothing and read back', () => {
    // Lines as people write them, several of which a shell would run: the rotation must leave none of that.
    const originals = [
      'EMPTY= # set me',
      'HASHED=#not-a-comment-to-sh',
      'SPACED = spaced value',
      'WORDS=two words here',
      'SEMI=x;touch pwned-semi',
      'DQ_SUBST="$(touch pwned-dq)"',
      'UNQ_SUBST=$(touch pwned-unq)',
      'BACKQUOTED=`touch pwned-bq`',
      'export EXPORTED=`touch pwned-export`',
      "SQ_MIX='single $(touch pwned-sq) `x` ; # \"q\"'",
      'DQ_ESCAPED="it\'s \\"quoted\\" ; # and \\$ and \\` escaped"',
      'DQ_BOTH="it\'s $(touch pwned-both)"',
      'DQ_VAR="${HOME}/x"',
      'TILDE=~/secret',
      'export GLOB=K*',
      'export GLOB2=[a]',
      'PLAIN=Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA',
    ];
    const names = originals.map((l) => (/^(?:export )?([A-Z_]+)/.exec(l) as RegExpExecArray)[1] as string);
    for (const encoding of ['base64', 'base64url', 'hex', 'alnum'] as const) {
      const doc: EnvDocument = parseEnv(`${originals.join('\n')}\n`);
      const before = new Map(names.map((k) => [k, getValue(doc, k) as string]));
      const sample = { base64: 'q+/Aw9ZzUk1mX0LhT/4e3b+QxYc2fN8J7vR1pW6aE5M=', base64url: 'q-_Aw9ZzUk1mX0LhT_4e3b-QxYc2fN8J7vR1pW6aE5M', hex: '0123456789abcdef0123456789abcdef', alnum: 'Zq8Xw3Lm0Pv7Ns2Kd9Rt4Jh6Gf1Bc5Ya' }[encoding];
      let i = 0;
      planEnvRotation(doc, names, { create: false, keepPrevious: true }, () => undefined, new Date(), () => `${sample.slice(0, -2)}${String(i++).padStart(2, '0')}`);
      const text = serializeEnv(doc);
      const reread = parseEnv(text);
      for (const k of names) {
        assert.match(getValue(reread, k) ?? '', /^[A-Za-z0-9+/=_-]+$/, `${k} has a new value`);
        const old = before.get(k) as string;
        if (old !== '') assert.equal(getValue(reread, `${k}_PREVIOUS`), old, `${k}_PREVIOUS keeps the old value for a dotenv reader`);
      }
      for (const shell of SHELLS) {
        const r = source(shell, text, ['GLOB_PREVIOUS=K-decoy', 'GLOB2_PREVIOUS=a']);
        assert.equal(r.stderr, '', `${shell} (${encoding}): ${r.stderr}\n${text}`);
        assert.deepEqual(r.created, [], `${shell} ran a command (${encoding})\n${text}`);
        for (const k of names) {
          assert.equal(r.vars.get(k), getValue(reread, k), `${shell}: ${k}`);
          if (before.get(k) !== '') assert.equal(r.vars.get(`${k}_PREVIOUS`), getValue(reread, `${k}_PREVIOUS`), `${shell}: ${k}_PREVIOUS in ${text}`);
        }
      }
    }
  });
});
