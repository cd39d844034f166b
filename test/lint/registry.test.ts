import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENGINE_METAS } from '../../src/lint/builtin.js';
import { allMetas, RULES } from '../../src/lint/registry.js';
import { FORMATS, isSeverity, type Rule } from '../../src/lint/types.js';
import { ROOT } from '../support/cli.js';

const RULES_DIR = join(ROOT, 'dist', 'src', 'lint', 'rules');
const TESTS_DIR = join(ROOT, 'dist', 'test', 'lint', 'rules');

function ruleFiles(): Array<{ format: string; name: string; path: string }> {
  const out: Array<{ format: string; name: string; path: string }> = [];
  for (const format of readdirSync(RULES_DIR)) {
    for (const f of readdirSync(join(RULES_DIR, format))) if (f.endsWith('.js')) out.push({ format, name: f.slice(0, -3), path: join(RULES_DIR, format, f) });
  }
  return out;
}

describe('lint rule registry', () => {
  it('registers every rule file, under the id its path names', async () => {
    const files = ruleFiles();
    assert.ok(files.length >= 55, `only ${files.length} rule files`);
    for (const f of files) {
      const mod = (await import(f.path)) as { rule?: Rule };
      assert.ok(mod.rule, `${f.format}/${f.name} exports no rule`);
      assert.ok(RULES.includes(mod.rule), `${f.format}/${f.name} is not in RULES (src/lint/registry.ts)`);
      assert.equal(mod.rule.meta.id, `${f.format}/${f.name}`);
    }
    assert.equal(RULES.length, files.length, 'RULES lists something that is not a rule file');
  });

  it('gives every rule its own table test', () => {
    for (const r of RULES) assert.ok(existsSync(join(TESTS_DIR, `${r.meta.id}.test.js`)), `no test/lint/rules/${r.meta.id}.test.ts`);
  });

  it('has no duplicate ids', () => {
    const ids = allMetas().map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('documents every rule', () => {
    for (const m of allMetas()) {
      assert.match(m.id, /^[a-z][a-z0-9]*\/[a-z0-9]+(?:-[a-z0-9]+)*$/, m.id);
      assert.ok(isSeverity(m.severity), `${m.id}: severity`);
      assert.ok(m.title.length >= 10 && m.title === m.title.trim(), `${m.id}: title`);
      assert.ok(m.rationale.length >= 80, `${m.id}: rationale too short`);
      assert.ok(m.remediation.length >= 30, `${m.id}: remediation too short`);
      assert.ok(m.formats.length > 0 && m.formats.every((f) => (FORMATS as readonly string[]).includes(f)), `${m.id}: formats`);
      assert.ok(Object.keys(m.messages).length > 0, `${m.id}: messages`);
      for (const s of m.supersedes ?? []) assert.ok(allMetas().some((x) => x.id === s), `${m.id} supersedes unknown ${s}`);
      if (!ENGINE_METAS.includes(m)) for (const ref of m.refs) assert.match(ref, /^https:\/\//, `${m.id}: ref ${ref}`);
    }
  });

  it('keeps dockerfile/unpinned-packages, and only it, off by default', () => {
    assert.deepEqual(RULES.filter((r) => r.meta.defaultOff).map((r) => r.meta.id), ['dockerfile/unpinned-packages']);
  });

  it('implements every row of the catalog tables it owns (agent, Dockerfile, docker-compose, .env, nginx, Kubernetes, Traefik)', (t) => {
    const catalog = join(ROOT, '..', 'shared', 'LINT-RULES.md');
    if (!existsSync(catalog)) {
      t.skip(`../shared/LINT-RULES.md not found beside the checkout (${catalog})`);
      return;
    }
    const ids = [...readFileSync(catalog, 'utf8').matchAll(/^\|\s*((?:agent|dockerfile|compose|env|nginx|k8s|traefik)\/[a-z0-9-]+)\s*\|/gm)].map((m) => m[1] as string);
    assert.ok(ids.length >= 80, `parsed only ${ids.length} catalog rows`);
    const registered = new Set(RULES.map((r) => r.meta.id));
    assert.deepEqual(ids.filter((id) => !registered.has(id)), [], 'catalog rows without a rule');
  });

  it('lists every rule, with its rationale and references, in the committed catalog (docs/lint-rules.md)', () => {
    const text = readFileSync(join(ROOT, 'docs', 'lint-rules.md'), 'utf8');
    const rows = [...text.matchAll(/^\|\s*([a-z0-9]+\/[a-z0-9-]+)\s*\|/gm)].map((m) => m[1] as string);
    assert.deepEqual(rows, [...new Set(rows)], 'a rule listed twice');
    assert.deepEqual(allMetas().map((m) => m.id).filter((id) => !rows.includes(id)), [], 'rules the catalog does not list: run npm run docs');
    assert.deepEqual(rows.filter((id) => !allMetas().some((m) => m.id === id)), [], 'catalog rows without a rule: run npm run docs');
    for (const m of RULES.map((r) => r.meta)) {
      const at = text.indexOf(`### ${m.id}\n`);
      assert.ok(at >= 0 && text.indexOf(m.refs[0] ?? m.rationale.slice(0, 40), at) > at, `${m.id}: no rationale and references in the catalog`);
    }
  });
});

describe('dependency direction', () => {
  it('keeps core, lint rules and output free of commands, cli, platform, node:fs and process', () => {
    const bad: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          const text = readFileSync(p, 'utf8');
          for (const m of text.matchAll(/from '([^']+)'/g)) if (/\/(?:commands|cli|platform)\/|^node:fs/.test(m[1] as string)) bad.push(`${p}: ${m[1]}`);
          if (/\bprocess\.(?:env|exit|argv|cwd|stdout|stderr)/.test(text)) bad.push(`${p}: process`);
        }
      }
    };
    for (const d of ['src/core/secrets', 'src/lint/rules', 'src/lint/parse']) walk(join(ROOT, d));
    for (const f of ['src/output/sarif.ts', 'src/output/junit.ts', 'src/output/lint-text.ts', 'src/lint/engine.ts', 'src/lint/document.ts', 'src/lint/types.ts', 'src/lint/rule-helpers.ts', 'src/lint/registry.ts']) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      if (/from 'node:fs'|\/platform\/|\/commands\//.test(text)) bad.push(f);
    }
    assert.deepEqual(bad, []);
  });
});
