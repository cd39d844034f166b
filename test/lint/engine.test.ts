import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { activeRules } from '../../src/lint/profiles.js';
import { inlineSuppressions } from '../../src/lint/suppress.js';
import { walkPaths } from '../../src/platform/walk.js';
import { tempDir } from '../support/cli.js';
import { lintMemory } from './support.js';

const ids = (r: { findings: ReadonlyArray<{ ruleId: string }> }): string[] => r.findings.map((f) => f.ruleId);

describe('lint engine', () => {
  it('turns a parse error into a finding and lints the other files', () => {
    const r = lintMemory({ 'a/compose.yaml': 'services:\n  a: [unclosed\n', 'b/.env': 'WEBUI_AUTH=False\n' });
    assert.equal(r.parseErrors, 1);
    assert.deepEqual(ids(r), ['compose/parse-error', 'agent/auth-disabled']);
    assert.equal(r.findings[0]?.file, 'a/compose.yaml');
  });

  it('refuses duplicate keys as Compose does', () => {
    const r = lintMemory({ 'compose.yaml': 'services:\n  a:\n    image: x:1\n    image: y:2\n' });
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}@${f.line}`), ['compose/parse-error@4']);
    assert.match(r.findings[0]?.message ?? '', /duplicate key 'image'/);
  });

  it('skips empty and binary files with a note', () => {
    const r = lintMemory({ '.env': '  \n', Dockerfile: new Uint8Array([0x46, 0x52, 0, 1, 2]) });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notes.map((n) => [n.file, n.message]).sort(), [['.env', 'empty file skipped'], ['Dockerfile', 'binary file skipped']]);
  });

  it('skips a file too large to be a config', () => {
    const r = lintMemory({ '.env': `A=${'x'.repeat(4 * 1024 * 1024)}\n` });
    assert.deepEqual(r.files, []);
    assert.match(r.notes[0]?.message ?? '', /larger than 4 MiB/);
  });

  it('ignores files it does not understand without opening them', () => {
    // (Kubernetes manifests were ignored in part 1; part 2 lints them, so a plain YAML file stands in.)
    const r = lintMemory({ 'src/index.ts': 'const x = 1;\n', 'README.md': '# hi\n', 'notes.yaml': 'title: hello\nitems: [1, 2]\n', 'app.conf': 'key = value\n' });
    assert.deepEqual(r.files, []);
  });

  it('sorts findings by file, line, column, id', () => {
    const r = lintMemory({ 'z/.env': 'DEBUG=true\n', 'a/.env': 'LOG_LEVEL=debug\nDEBUG=true\nWEBUI_AUTH=false\n' });
    const keys = r.findings.map((f) => `${f.file}:${String(f.line).padStart(3)}:${String(f.column).padStart(3)}:${f.ruleId}`);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(r.findings[0]?.file, 'a/.env');
  });

  it('interpolates the sibling .env and places the finding where the value is written', () => {
    const compose = 'services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${PG_PASS}\n      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET:-mysecret}\n';
    const r = lintMemory({ 'deploy/compose.yaml': compose, 'deploy/.env': '# generated\nPG_PASS=changeme\n' }, { walk: ['deploy/compose.yaml'] });
    const secrets = r.findings.filter((f) => f.ruleId === 'agent/default-secret').map((f) => `${f.file}:${f.line}:${f.column}`);
    assert.deepEqual(secrets, ['deploy/.env:2:9', 'deploy/compose.yaml:6:43']);
  });

  it('reports one mistake once, under its most specific rule', () => {
    const r = lintMemory({ 'compose.yaml': 'services:\n  letta:\n    image: letta/letta:0.6.0\n    ports:\n      - "8283:8283"\n' });
    const onPortLine = r.findings.filter((f) => f.line === 5).map((f) => f.ruleId);
    assert.deepEqual(onPortLine, ['agent/port-exposed']);
  });

  it('de-duplicates a finding reached from the compose file and from the .env itself', () => {
    const r = lintMemory({ 'compose.yaml': 'services:\n  a:\n    environment:\n      JWT_SECRET: ${JWT_SECRET}\n', '.env': 'JWT_SECRET=changeme\n' });
    assert.equal(r.findings.filter((f) => f.ruleId === 'agent/default-secret').length, 1);
  });

  it('gives stable fingerprints that do not depend on the line', () => {
    const a = lintMemory({ '.env': 'WEBUI_AUTH=false\n' }).findings[0];
    const b = lintMemory({ '.env': '\n\nWEBUI_AUTH=false\n' }).findings[0];
    assert.equal(a?.fingerprint, b?.fingerprint);
    assert.match(a?.fingerprint ?? '', /^[0-9a-f]{32}$/);
  });

  it('never puts a secret value in a message', () => {
    const value = 'Zq8vR2mLk5wTq1';
    const r = lintMemory({ 'compose.yaml': `services:\n  a:\n    environment:\n      POSTGRES_PASSWORD: ${value}\n`, '.env': `JWT_SECRET=${value}\n` });
    assert.ok(r.findings.length > 0);
    for (const f of r.findings) assert.ok(!f.message.includes(value) && !f.remediation.includes(value), f.message);
  });
});

describe('suppressions', () => {
  const compose = (comment: string): string => `services:\n  gpu:\n    image: ollama/ollama:0.5.7\n${comment}    privileged: true\n`;

  it('an inline suppression with a reason silences the next line', () => {
    const r = lintMemory({ 'compose.yaml': compose('    # agentsec-ignore compose/privileged -- needed for GPU passthrough\n') });
    assert.ok(!ids(r).includes('compose/privileged'));
    assert.equal(r.suppressed, 1);
  });

  it('a trailing suppression silences its own line', () => {
    const r = lintMemory({ '.env': 'WEBUI_AUTH=false # agentsec-ignore agent/auth-disabled -- local demo only\n' });
    assert.deepEqual(ids(r), []);
  });

  it('a suppression without a reason is a finding and silences nothing', () => {
    const r = lintMemory({ 'compose.yaml': compose('    # agentsec-ignore compose/privileged\n') });
    assert.ok(ids(r).includes('compose/privileged'));
    const f = r.findings.find((x) => x.ruleId === 'lint/suppression-without-reason');
    assert.equal(f?.line, 4);
    assert.equal(r.suppressed, 0);
  });

  it('config suppressions apply by path until they expire', () => {
    const files = { 'gpu/compose.yaml': compose(''), 'web/compose.yaml': compose('') };
    const suppressions = [{ rule: 'compose/privileged', paths: ['gpu/'], reason: 'GPU', expires: '2026-03-01' }];
    const before = lintMemory(files, { suppressions, today: '2026-02-28' });
    assert.deepEqual(before.findings.filter((f) => f.ruleId === 'compose/privileged').map((f) => f.file), ['web/compose.yaml']);
    const after = lintMemory(files, { suppressions, today: '2026-03-02' });
    assert.equal(after.findings.filter((f) => f.ruleId === 'compose/privileged').length, 2);
    assert.match(after.notes.map((n) => n.message).join('\n'), /expired on 2026-03-01/);
  });

  it('parses ids and reasons', () => {
    assert.deepEqual(inlineSuppressions('X=1 # agentsec-ignore a/b, c/d -- why not\n'), [{ target: 1, ids: ['a/b', 'c/d'], reason: 'why not', at: { line: 1, column: 5 } }]);
  });
});

describe('profiles', () => {
  it('strict switches on unpinned-packages and tightens thresholds', () => {
    const files = { Dockerfile: 'FROM debian:12\nRUN apt-get install -y curl\nUSER app\nHEALTHCHECK CMD true\n', '.env': 'ACCESS_TOKEN_TTL=1h\nTLS_MIN_VERSION=1.2\n' };
    const def = ids(lintMemory(files));
    const strict = ids(lintMemory(files, { profile: 'strict' }));
    assert.ok(!def.includes('dockerfile/unpinned-packages') && strict.includes('dockerfile/unpinned-packages'));
    assert.ok(!def.includes('agent/long-lived-tokens') && strict.includes('agent/long-lived-tokens'));
    assert.ok(!def.includes('agent/tls-disabled') && strict.includes('agent/tls-disabled'));
  });

  it('config can switch rules off, on and re-grade them', () => {
    const rules = activeRules('default', { 'compose/no-healthcheck': 'off', 'dockerfile/unpinned-packages': 'on', 'compose/writable-root-fs': 'high' });
    assert.ok(!rules.some((r) => r.rule.meta.id === 'compose/no-healthcheck'));
    assert.ok(rules.some((r) => r.rule.meta.id === 'dockerfile/unpinned-packages'));
    assert.equal(rules.find((r) => r.rule.meta.id === 'compose/writable-root-fs')?.severity, 'high');
  });
});

describe('walk', () => {
  it('skips .git, node_modules and what .gitignore excludes; explicit files are always taken', () => {
    const t = tempDir();
    try {
      const d = t.dir;
      for (const p of ['.git', 'node_modules/x', 'app/build', 'app/sub']) mkdirSync(join(d, p), { recursive: true });
      writeFileSync(join(d, '.gitignore'), '.env\nbuild/\n');
      writeFileSync(join(d, 'app/sub/.gitignore'), 'local.yaml\n');
      for (const f of ['.env', '.git/config', 'node_modules/x/Dockerfile', 'app/build/Dockerfile', 'app/Dockerfile', 'app/sub/local.yaml', 'app/sub/compose.yaml']) writeFileSync(join(d, f), 'x\n');
      const r = walkPaths(['.'], d);
      assert.deepEqual(r.files.map((f) => f.slice(d.length + 1)), ['.gitignore', 'app/Dockerfile', 'app/sub/.gitignore', 'app/sub/compose.yaml']);
      assert.deepEqual(walkPaths(['.env', 'missing'], d), { files: [join(d, '.env')], missing: ['missing'] });
    } finally {
      t.cleanup();
    }
  });
});
