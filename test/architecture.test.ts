import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/cli.js';

function files(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

// DESIGN §1: core, lint rules and output stay pure — no commands, cli, platform, fs or process.
test('pure layers import nothing from the I/O edges', () => {
  const pure = [join(ROOT, 'src', 'core'), join(ROOT, 'src', 'lint', 'rules'), join(ROOT, 'src', 'output')];
  const forbidden = [/from '(\.\.\/)+(commands|cli|platform)\//, /from 'node:fs'/, /from 'node:fs\/promises'/, /from 'node:child_process'/, /\bprocess\.(env|exit|argv|stdout|stderr|stdin|cwd)\b/];
  const problems: string[] = [];
  for (const dir of pure) {
    for (const file of files(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const re of forbidden) if (re.test(text)) problems.push(`${relative(ROOT, file)}: ${re}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('only bin/ calls process.exit', () => {
  const offenders = files(join(ROOT, 'src')).filter((f) => /process\.exit\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});
