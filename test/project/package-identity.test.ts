import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { BIN_NAME, ISSUES_URL, PACKAGE_NAME, PROJECT_URL } from '../../src/core/about.js';
import { renderSarif } from '../../src/output/sarif.js';
import { ROOT } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

/** Every shipped or documented text file: docs, examples, integrations, generated man page, sources (not tests). */
function projectTexts(): Array<{ file: string; text: string }> {
  const skip = new Set(['node_modules', 'dist', '.git', 'test', '.bench-tmp']);
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (skip.has(name)) continue;
      const abs = join(dir, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else if (st.size < 2_000_000 && /(\.(md|ya?ml|ts|js|json|1|bash|fish|service|timer|toml|sh)|Dockerfile|_agentsec|run)$/.test(name) && name !== 'package-lock.json') {
        out.push({ file: relative(ROOT, abs), text: readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(ROOT);
  return out;
}

// Each of these names the npm package `agentsec`, which is someone else's: running it is a supply-chain hole.
const BARE_NAME = [
  /\bnpx\s+(?:(?:-y|--yes)\s+)*agentsec(?![\w-])/,
  /\bnpm\s+(?:install|i|add|exec|x)\s+(?:(?:-g|--global|-D|--save-dev|--yes|-y)\s+)*agentsec(?![\w-])/,
  /--package[= ]agentsec(?![\w-])/,
  /(?:from\s+|require\(\s*|import\(\s*)['"]agentsec['"]/,
  /npmjs\.com\/package\/agentsec(?![\w-])/,
];

test('no documented install, npx or import line names the unrelated npm package "agentsec"', () => {
  const hits: string[] = [];
  for (const { file, text } of projectTexts()) {
    text.split('\n').forEach((line, i) => {
      for (const re of BARE_NAME) if (re.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, [], `name the package ${PACKAGE_NAME} explicitly:\n${hits.join('\n')}`);
});

test(`every pinned ${PACKAGE_NAME}@version in the docs is the version in package.json`, () => {
  const stale: string[] = [];
  let pins = 0;
  for (const { file, text } of projectTexts()) {
    for (const m of text.matchAll(new RegExp(`${PACKAGE_NAME}@(\\d+\\.\\d+\\.\\d+[\\w.-]*)`, 'g'))) {
      pins++;
      if (m[1] !== pkg['version']) stale.push(`${file}: ${m[0]}`);
    }
  }
  assert.ok(pins > 0, 'the README pins a version in its install lines');
  assert.deepEqual(stale, []);
});

test('package.json names this project: package name, binary, homepage, repository, bugs, files', () => {
  assert.equal(pkg['name'], PACKAGE_NAME);
  assert.deepEqual(Object.keys(pkg['bin'] as object), [BIN_NAME]);
  assert.equal(pkg['homepage'], PROJECT_URL);
  assert.equal((pkg['repository'] as { url: string }).url, `git+${PROJECT_URL}.git`);
  assert.equal((pkg['bugs'] as { url: string }).url, ISSUES_URL);
  assert.equal(pkg['license'], 'MIT');
  for (const f of ['LICENSE', 'SECURITY.md', 'CHANGELOG.md']) {
    assert.ok(existsSync(join(ROOT, f)), `${f} exists`);
    assert.ok((pkg['files'] as string[]).includes(f), `${f} is published`);
  }
  assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n/);
  assert.match(readFileSync(join(ROOT, 'SECURITY.md'), 'utf8'), /security\/advisories\/new/);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { name: string; packages: Record<string, { name?: string }> };
  assert.equal(lock.name, PACKAGE_NAME);
  assert.equal(lock.packages['']?.name, PACKAGE_NAME);
});

test("SARIF's informationUri points at this project, not at a registry page of another package", () => {
  const sarif = JSON.parse(renderSarif({ tool: { name: 'agentsec', version: '0.0.0' }, findings: [], notes: [], files: [], rules: [], suppressed: 0, parseErrors: 0, skipped: 0, allowSkipped: false, profile: 'default', failOn: 'high' })) as {
    runs: Array<{ tool: { driver: { informationUri: string; name: string } } }>;
  };
  assert.equal(sarif.runs[0]?.tool.driver.informationUri, PROJECT_URL);
  assert.equal(sarif.runs[0]?.tool.driver.name, 'agentsec');
});
