import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/cli.js';
import { importCycles, importGraph, tsFiles as files, type ImportEdge } from './support/imports.js';

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

/**
 * The layers of DESIGN §1, lowest first. A file may import its own layer and any layer of a lower rank; layers of
 * the same rank (the library and the server, say) do not import each other. `cli-base` is the part of src/cli that
 * commands build on (their context, the commander adapter, the generated docs, and the option, completion,
 * confirmation and shown-once helpers every command shares); the rest of src/cli builds the program out of the
 * commands.
 */
const LAYERS: ReadonlyArray<{ readonly name: string; readonly rank: number; readonly test: (path: string) => boolean }> = [
  { name: 'core', rank: 0, test: (p) => p.startsWith('src/core/') },
  { name: 'lint', rank: 1, test: (p) => p.startsWith('src/lint/') },
  { name: 'output', rank: 2, test: (p) => p.startsWith('src/output/') },
  { name: 'platform', rank: 3, test: (p) => p.startsWith('src/platform/') },
  { name: 'store', rank: 3, test: (p) => p.startsWith('src/store/') },
  { name: 'services', rank: 4, test: (p) => p.startsWith('src/services/') },
  { name: 'library', rank: 5, test: (p) => p === 'src/index.ts' || p.startsWith('src/lib/') },
  { name: 'server', rank: 5, test: (p) => p.startsWith('src/server/') },
  { name: 'cli-base', rank: 5, test: (p) => /^src\/cli\/(context|command|docs|choice|completion-spec|confirm|example-wrap|shown-once)\.ts$/.test(p) },
  { name: 'commands', rank: 6, test: (p) => p.startsWith('src/commands/') },
  { name: 'cli', rank: 7, test: (p) => p.startsWith('src/cli/') },
];

function layerOf(path: string): (typeof LAYERS)[number] | undefined {
  return LAYERS.find((l) => l.test(path));
}

const edges: ImportEdge[] = importGraph(ROOT);
const show = (e: ImportEdge): string => `${e.from}:${e.line} -> ${e.to}${e.typeOnly ? ' (type)' : ''}`;

test('the import reader sees static, type-only, re-export and dynamic imports', () => {
  const fromIndex = edges.filter((e) => e.from === 'src/index.ts');
  assert.ok(fromIndex.some((e) => e.typeOnly), 'a type-only import of src/index.ts');
  assert.ok(fromIndex.some((e) => !e.typeOnly), 'a value import of src/index.ts');
  assert.ok(edges.some((e) => e.from === 'src/cli/program.ts' && e.to.startsWith('src/commands/')), 'the lazy area imports of the program');
});

test('every source file belongs to a layer', () => {
  const files = new Set(edges.flatMap((e) => [e.from, e.to]).filter((p) => p.startsWith('src/')));
  assert.deepEqual([...files].filter((f) => !layerOf(f)).sort(), []);
});

test('no import from a lower layer to a higher one, nor across layers of one rank', () => {
  const problems: string[] = [];
  for (const e of edges) {
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    if (!a || !b || a.name === b.name) continue;
    if (b.rank > a.rank || b.rank === a.rank) problems.push(`${show(e)}: ${a.name} may not import ${b.name}`);
  }
  assert.deepEqual(problems, []);
});

test('core imports only core', () => {
  const problems = edges.filter((e) => e.from.startsWith('src/core/') && !e.to.startsWith('src/core/')).map(show);
  assert.deepEqual(problems, []);
});

test('nothing outside src/cli and src/commands imports from them', () => {
  const inside = (p: string): boolean => p.startsWith('src/cli/') || p.startsWith('src/commands/');
  const problems = edges.filter((e) => !inside(e.from) && inside(e.to)).map(show);
  assert.deepEqual(problems, []);
});

test('no import cycles, not even type-only ones', () => {
  assert.deepEqual(importCycles(edges), []);
});

test('the cycle finder finds a cycle and a self-import', () => {
  const e = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false, line: 1 });
  assert.deepEqual(importCycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd')]), [['a', 'b', 'c']]);
  assert.deepEqual(importCycles([e('a', 'a')]), [['a']]);
  assert.deepEqual(importCycles([e('a', 'b'), e('b', 'c')]), []);
});

// DESIGN §9: the backend is the store's business. Above it, code sees the Store interface (store.ts, options.ts,
// the area interfaces) and opens a store through open.ts; the SQLite classes, db.ts and the migrations stay inside.
test('above the store, nothing reaches into a backend', () => {
  const inside = /^src\/store\/(sqlite\/|postgres\/|db\.ts$|migrations\/)/;
  const problems = edges.filter((e) => !e.from.startsWith('src/store/') && inside.test(e.to)).map(show);
  assert.deepEqual(problems, []);
});

test('commands reach the store only to open it: the areas\' work goes through their services', () => {
  const allowed = new Set(['src/store/store.ts', 'src/store/options.ts', 'src/store/open.ts']);
  const problems = edges.filter((e) => e.from.startsWith('src/commands/') && e.to.startsWith('src/store/') && !allowed.has(e.to) && !e.typeOnly).map(show);
  assert.deepEqual(problems, []);
});
