import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, runCli, tempDir } from '../support/cli.js';

const CLI = join(ROOT, 'dist', 'cli');
// The first entries of the zxcvbn-ts list as its compressed form holds them: "123456", "password", "12345678".
const LIST_MARKER = 'A123456ApasswordA12345678';

/** The chunks the entry loads before any command runs: its static imports, transitively (not `import()`). */
function staticClosure(start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(join(CLI, f), 'utf8');
    for (const m of text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^'"();]*?\sfrom\s*)?["']\.\/([^"']+)["']/g)) todo.push(m[1] as string);
  }
  return seen;
}

test('the common-password list is loaded by the commands that check a password, not at start-up', () => {
  const holders = readdirSync(CLI).filter((f) => f.endsWith('.js') && readFileSync(join(CLI, f), 'utf8').includes(LIST_MARKER));
  assert.ok(holders.length > 0, 'the list is in the bundle');
  const eager = staticClosure('entry.js');
  assert.ok(eager.size > 1, 'the closure walk finds the entry chunks');
  for (const h of holders) assert.ok(!eager.has(h), `${h} holds the list and is loaded at start-up`);
});

const t = tempDir('agentsec-e2e-pwpolicy-');
after(() => t.cleanup());

test('the built binary refuses a weak password with exit 1 and hashes a good one', () => {
  const home = join(t.dir, 'home');
  const weak = runCli(['--home', home, 'password', 'hash'], { input: 'letmein' });
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /at least 12/);
  assert.match(weak.stderr, /common passwords/);
  assert.ok(!weak.stderr.includes('letmein') && weak.stdout === '');
  const ok = runCli(['--home', home, 'password', 'hash'], { input: 'a sentence nobody has typed' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^\$argon2id\$v=19\$/);
});
