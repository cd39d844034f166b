import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintFiles } from '../../src/lint/engine.js';
import { activeRules, PROFILES } from '../../src/lint/profiles.js';
import { inlineSuppressions } from '../../src/lint/suppress.js';
import { walkPaths } from '../../src/platform/walk.js';
import { tempDir } from '../support/cli.js';
import { lintMemory, memoryHost as memoryHostFor } from './support.js';

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

  it('an empty file is linted (there is nothing in it); a binary one is skipped and counted', () => {
    const r = lintMemory({ '.env': '  \n', Dockerfile: new Uint8Array([0x46, 0x52, 0, 1, 2]) });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.files, ['.env']);
    assert.deepEqual([r.skipped, r.notes], [1, []]);
  });

  it('skips a file too large to be a config, and counts it', () => {
    const r = lintMemory({ '.env': `A=${'x'.repeat(4 * 1024 * 1024)}\n` });
    assert.deepEqual(r.files, []);
    assert.equal(r.skipped, 1);
  });

  it('never reads nor names a walked file whose name says it is no config', () => {
    const shown: string[] = [];
    const read: string[] = [];
    const base = memoryHostFor({ 'src/app.ts': 'x', 'docs/README.md': '# x', '.env': 'DEBUG=false\n' });
    const host = { ...base, read: (abs: string) => (read.push(abs), base.read(abs)), display: (abs: string) => (shown.push(abs), base.display(abs)) };
    lintFiles(['src/app.ts', 'docs/README.md', '.env'].map((f) => ({ abs: `/mem/${f}` })), host, { rules: activeRules('default'), profile: PROFILES.default, today: '2026-01-15' });
    assert.deepEqual([...new Set(read)], ['/mem/.env']);
    assert.ok(!shown.some((p) => /app\.ts|README/.test(p)), shown.join(' '));
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

describe('fail closed: files that cannot be linted', () => {
  const utf16le = (t: string): Uint8Array => new Uint8Array([0xff, 0xfe, ...Buffer.from(t, 'utf16le')]);
  const files = {
    'README.md': '# not a config\n',
    'notes.yaml': 'title: hello\n',
    'compose.yaml': utf16le('services:\n  a:\n    image: x:1\n'),
    '.env': Buffer.from('WEBUI_AUTH=False\nDEBUG=true\n', 'utf16le'),
    'big.env': `A=${'x'.repeat(4 * 1024 * 1024)}\n`,
    Dockerfile: new Uint8Array([0x46, 0x52, 0, 1, 2]),
    'chart.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n{{- if .Values.replicas }}\n  replicas: 2\n{{- end }}\n',
  };
  const reasons: Array<[string, RegExp]> = [
    ['.env', /UTF-16/],
    ['Dockerfile', /binary/],
    ['README.md', /not a file agentsec lint reads/],
    ['big.env', /larger than 4 MiB/],
    ['chart.yaml', /template .* not valid until rendered/],
    ['compose.yaml', /UTF-16 encoded, which Compose, Docker and nginx do not read: save it as UTF-8/],
    ['notes.yaml', /not a compose file, Kubernetes manifest, Traefik configuration or agent-server settings/],
  ];

  it('a file named on the command line that is not linted gets a note and counts as a named skip', () => {
    const r = lintMemory(files, { explicit: Object.keys(files) });
    assert.deepEqual(r.files, []);
    assert.equal(r.skippedExplicit, 7);
    const notes = r.notes.map((n) => [n.file, n.kind, n.message] as const).sort();
    assert.equal(notes.length, reasons.length);
    for (const [i, [file, re]] of reasons.entries()) {
      assert.equal(notes[i]?.[0], file);
      assert.equal(notes[i]?.[1], 'skipped');
      assert.match(notes[i]?.[2] ?? '', re);
    }
  });

  it('a walk skips them quietly, counting the configs it could not check (not the files that are no config)', () => {
    const r = lintMemory(files);
    assert.deepEqual(r.notes, []);
    assert.equal(r.skippedExplicit, 0);
    // UTF-16 .env and compose, the binary Dockerfile, the huge .env, the unrendered chart; not README.md, notes.yaml.
    assert.equal(r.skipped, 5);
  });

  it('recognises UTF-16 without a byte-order mark, and does not mistake UTF-8 for it', () => {
    const r = lintMemory({ '.env': Buffer.from('WEBUI_AUTH=False\n', 'utf16le'), 'b/.env': 'WEBUI_AUTH=False\n' }, { explicit: ['.env', 'b/.env'] });
    assert.deepEqual(r.notes.map((n) => n.file), ['.env']);
    assert.deepEqual(r.findings.map((f) => `${f.file} ${f.ruleId}`), ['b/.env agent/auth-disabled']);
  });
});

describe('templates and examples are linted as their format', () => {
  it('env.template, .env-template, .env.sample, compose.yml.template, config.template.toml, site.conf.template.j2', () => {
    const r = lintMemory({
      'a/env.template': 'JWT_SECRET=changeme\n',
      'b/.env-template': 'SESSION_SECRET=change-me-in-production\n',
      'c/.env.sample': 'NEXTAUTH_SECRET=mysecret\n',
      'd/docker-compose.yml.template': 'services:\n  app:\n    image: app:1\n    privileged: true\n',
      'e/config.template.toml': '[server]\ntls_enabled = true\n[auth]\njwt_secret = "secret"\n',
      'f/site.conf.template.j2': 'server {\n  listen 80;\n  location /api/ { proxy_pass http://${UPSTREAM}; }\n}\n',
    });
    const got = r.findings.filter((f) => ['agent/default-secret', 'compose/privileged', 'nginx/no-rate-limit'].includes(f.ruleId)).map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    assert.deepEqual(got, ['a/env.template:1 agent/default-secret', 'b/.env-template:1 agent/default-secret', 'c/.env.sample:1 agent/default-secret', 'd/docker-compose.yml.template:4 compose/privileged', 'e/config.template.toml:4 agent/default-secret', 'f/site.conf.template.j2:3 nginx/no-rate-limit']);
    // Their template secrets are reported as what deployments copy; an empty value in them is a placeholder.
    assert.match(r.findings.find((f) => f.file === 'a/env.template')?.message ?? '', /ships as a known template or default value: deployments that copy this template run with it/);
    assert.deepEqual(lintMemory({ 'config.template.toml': '[server]\ntls_enabled = true\n[auth]\njwt_secret = ""\n' }).findings.filter((f) => f.ruleId === 'agent/default-secret'), []);
  });
});

describe('nested settings map onto the knobs of the flat names', () => {
  it('the YAML and TOML of the issue: each nested knob is found as its flat spelling is', () => {
    const yaml = 'server:\n  host: 0.0.0.0\n  auth:\n    enabled: false\ncors:\n  allow_origins: ["*"]\nservice:\n  enable_tls: false\n';
    const toml = '[server]\nhost = "0.0.0.0"\n[rate_limit]\nenabled = false\n[session.cookie]\nsecure = false\n';
    const flat = 'HOST=0.0.0.0\nAUTH_ENABLED=false\nCORS_ALLOW_ORIGINS=*\nENABLE_TLS=false\nRATE_LIMIT_ENABLED=false\nSESSION_COOKIE_SECURE=false\n';
    const ids = (files: Record<string, string>): string[] => [...new Set(lintMemory(files).findings.map((f) => f.ruleId))].sort();
    const want = ['agent/auth-disabled', 'agent/insecure-cookies', 'agent/no-rate-limit', 'agent/tls-disabled', 'agent/wildcard-cors'];
    assert.deepEqual(ids({ 'a/config.yaml': yaml, 'a/config.toml': toml }).filter((id) => want.includes(id)), want);
    assert.deepEqual(ids({ 'b/.env': flat }).filter((id) => want.includes(id)), want);
  });
});

describe('a git-ignored .env is the deployed file', () => {
  const env = 'SSL_ENABLED=false\nHOST=0.0.0.0\nCORS_ALLOWED_ORIGINS=*\nJWT_SECRET=9f2c7d1e8b4a6c3f0e5d7b9a1c2e4f6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d8f\n';
  it('every rule runs on it except env/committed-secrets', () => {
    const ignored = lintMemory({ '.env': env }, { gitIgnored: ['.env'] }).findings.map((f) => f.ruleId).sort();
    const committed = lintMemory({ '.env': env }).findings.map((f) => f.ruleId).sort();
    assert.deepEqual(ignored, ['agent/tls-disabled', 'agent/unbounded-request-size', 'agent/wildcard-cors']);
    assert.deepEqual(committed, ['agent/tls-disabled', 'agent/unbounded-request-size', 'agent/wildcard-cors', 'env/committed-secrets']);
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
      const named = walkPaths(['.env', 'missing'], d);
      assert.deepEqual([named.files, named.missing, [...named.explicit], [...named.ignored]], [[join(d, '.env')], ['missing'], [join(d, '.env')], [join(d, '.env')]]);
      // keepIgnored keeps git-ignored files by name (a server's .env), never the content of ignored directories.
      const kept = walkPaths(['.'], d, undefined, { keepIgnored: (n) => n === '.env' || n === 'Dockerfile' });
      assert.deepEqual(kept.files.map((f) => f.slice(d.length + 1)), ['.env', '.gitignore', 'app/Dockerfile', 'app/sub/.gitignore', 'app/sub/compose.yaml']);
      assert.deepEqual([...kept.ignored], [join(d, '.env')]);
    } finally {
      t.cleanup();
    }
  });
});
