import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { RULES } from '../../src/lint/registry.js';
import { tempDir } from '../support/cli.js';
import { fakeIo } from '../support/io.js';

const FROZEN = { clock: () => new Date('2026-01-15T12:00:00Z') };

function tree(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const t = tempDir('agentsec-lint-');
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(t.dir, p, '..'), { recursive: true });
    writeFileSync(join(t.dir, p), text);
  }
  return t;
}

async function lint(dir: string, args: string[], opts: { tty?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ cwd: dir, stdoutTTY: opts.tty ?? false });
  const code = await run(args, io, { ctxOverrides: FROZEN });
  return { code, out: io.out(), err: io.err() };
}

const CLEAN_DOCKERFILE = 'FROM node:22.11-slim\nCOPY package.json ./\nUSER node\nHEALTHCHECK CMD node -e "0"\n';

describe('agentsec lint: exit codes', () => {
  it('0 for a clean tree', async () => {
    const t = tree({ Dockerfile: CLEAN_DOCKERFILE });
    try {
      const r = await lint(t.dir, ['lint']);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, '');
      assert.match(r.err, /no findings in 1 file/);
    } finally {
      t.cleanup();
    }
  });

  it('1 for a finding at or above --fail-on (default high), 0 below it', async () => {
    const t = tree({ '.env': 'WEBUI_AUTH=false\n', 'low/Dockerfile': 'FROM node:22.11-slim\nUSER node\n' });
    try {
      assert.equal((await lint(t.dir, ['lint'])).code, 1);
      assert.equal((await lint(t.dir, ['lint', 'low'])).code, 0, 'only a low finding');
      assert.equal((await lint(t.dir, ['lint', 'low', '--fail-on', 'low'])).code, 1);
      const hi = tree({ Dockerfile: 'FROM node:22.11-slim\nHEALTHCHECK CMD true\n' });
      try {
        assert.equal((await lint(hi.dir, ['lint', '--fail-on', 'critical'])).code, 0, 'high below critical');
      } finally {
        hi.cleanup();
      }
    } finally {
      t.cleanup();
    }
  });

  it('2 for a parse error whatever --fail-on says, and the other files are still linted', async () => {
    const t = tree({ 'a/compose.yaml': 'services: [\n', 'b/.env': 'DEBUG=true\n' });
    try {
      const r = await lint(t.dir, ['lint', '--fail-on', 'critical']);
      assert.equal(r.code, 2);
      assert.match(r.out, /a\/compose\.yaml:\d+:\d+ high compose\/parse-error/);
      assert.match(r.out, /b\/\.env:1:7 medium agent\/debug-mode/);
    } finally {
      t.cleanup();
    }
  });

  it('2 for usage errors', async () => {
    const t = tree({ '.env': 'DEBUG=true\n' });
    try {
      for (const args of [['lint', 'nope'], ['lint', '--format', 'xml'], ['lint', '--fail-on', 'info'], ['lint', '--format', 'json', '--format', 'text'], ['lint', '--profile', 'paranoid'], ['lint', '--config', 'missing.yaml'], ['lint', '--bogus']]) {
        const r = await lint(t.dir, args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, /^agentsec: /m);
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('agentsec lint: outputs', () => {
  it('text when piped, table on a TTY, JSON with --json', async () => {
    const t = tree({ '.env': 'DEBUG=true\n' });
    try {
      assert.equal((await lint(t.dir, ['lint'])).out, '.env:1:7 medium agent/debug-mode DEBUG=true in a deploy config\n');
      const tty = await lint(t.dir, ['lint'], { tty: true });
      assert.match(tty.out, /┌|─/);
      assert.match(tty.out, /1 finding \(1 medium\) in 1 file/);
      const json = JSON.parse((await lint(t.dir, ['--json', 'lint'])).out) as { findings: unknown[] };
      assert.equal(json.findings.length, 1);
    } finally {
      t.cleanup();
    }
  });

  it('writes several --format/--output pairs in one run', async () => {
    const t = tree({ '.env': 'WEBUI_AUTH=false\n' });
    try {
      mkdirSync(join(t.dir, 'out'));
      const r = await lint(t.dir, ['lint', '--format', 'sarif', '--output', 'out/agentsec.sarif', '--format', 'junit', '--output', 'out/junit.xml', '-o', 'out/report.json', '--format', 'text']);
      assert.equal(r.code, 1);
      assert.match(r.out, /^\.env:1:12 critical agent\/auth-disabled/);
      assert.equal((JSON.parse(readFileSync(join(t.dir, 'out/agentsec.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
      assert.match(readFileSync(join(t.dir, 'out/junit.xml'), 'utf8'), /<testsuites/);
      assert.equal((JSON.parse(readFileSync(join(t.dir, 'out/report.json'), 'utf8')) as { schemaVersion: number }).schemaVersion, 1);
    } finally {
      t.cleanup();
    }
  });
});

describe('agentsec lint: .agentsec.yaml', () => {
  it('is found upward, switches rules off, re-grades, ignores paths and suppresses until expiry', async () => {
    const t = tree({
      '.agentsec.yaml': [
        'rules:',
        '  agent/debug-mode: off',
        '  compose/writable-root-fs: high',
        'ignore:',
        '  - vendor/',
        'suppressions:',
        '  - rule: compose/privileged',
        '    path: deploy/gpu/',
        '    reason: GPU passthrough',
        '    expires: 2026-06-30',
        '',
      ].join('\n'),
      'deploy/.env': 'DEBUG=true\n',
      'deploy/gpu/compose.yaml': 'services:\n  a:\n    image: x/y:1\n    privileged: true\n',
      'vendor/.env': 'WEBUI_AUTH=false\n',
    });
    try {
      const r = await lint(join(t.dir, 'deploy'), ['lint', '--format', 'json']);
      const doc = JSON.parse(r.out) as { findings: Array<{ ruleId: string; severity: string }>; summary: { suppressed: number } };
      const ids = doc.findings.map((f) => f.ruleId);
      assert.ok(!ids.includes('agent/debug-mode'));
      assert.ok(!ids.includes('compose/privileged'));
      assert.equal(doc.summary.suppressed, 1);
      assert.equal(doc.findings.find((f) => f.ruleId === 'compose/writable-root-fs')?.severity, 'high');
      const all = JSON.parse((await lint(t.dir, ['lint', '--format', 'json'])).out) as { files: string[] };
      assert.ok(!all.files.some((f) => f.startsWith('vendor/')));
    } finally {
      t.cleanup();
    }
  });

  it('refuses unknown rule ids and suppressions without a reason (exit 2)', async () => {
    for (const cfg of ['rules:\n  compose/nope: off\n', 'suppressions:\n  - rule: compose/privileged\n    reason: ""\n', 'profile: lax\n', 'unknown: 1\n']) {
      const t = tree({ '.agentsec.yaml': cfg, '.env': 'DEBUG=true\n' });
      try {
        const r = await lint(t.dir, ['lint']);
        assert.equal(r.code, 2, cfg);
        assert.match(r.err, /\.agentsec\.yaml/);
      } finally {
        t.cleanup();
      }
    }
  });

  it('profile strict from the config or the flag', async () => {
    const t = tree({ '.env': 'ACCESS_TOKEN_TTL=1h\n' });
    try {
      assert.equal((await lint(t.dir, ['lint', '--fail-on', 'medium'])).code, 0);
      assert.equal((await lint(t.dir, ['lint', '--fail-on', 'medium', '--profile', 'strict'])).code, 1);
      writeFileSync(join(t.dir, '.agentsec.yaml'), 'profile: strict\nfailOn: medium\n');
      assert.equal((await lint(t.dir, ['lint'])).code, 1);
    } finally {
      t.cleanup();
    }
  });
});

describe('agentsec lint rules / explain', () => {
  it('lists every rule with severity and default', async () => {
    const r = await lint(process.cwd(), ['lint', 'rules']);
    assert.equal(r.code, 0);
    for (const rule of RULES) assert.ok(r.out.includes(`${rule.meta.id}\t${rule.meta.severity}\t${rule.meta.defaultOff ? 'off' : 'on'}\t`), rule.meta.id);
    const json = JSON.parse((await lint(process.cwd(), ['--json', 'lint', 'rules'])).out) as { rules: unknown[] };
    assert.ok(json.rules.length > RULES.length);
  });

  it('explains a rule', async () => {
    const r = await lint(process.cwd(), ['lint', 'explain', 'compose/docker-socket']);
    assert.equal(r.code, 0);
    assert.match(r.out, /compose\/docker-socket — Docker socket mounted/);
    assert.match(r.out, /Why\n.*root on the host/);
    assert.match(r.out, /agentsec-ignore compose\/docker-socket -- <reason>/);
  });

  it('refuses an unknown id (exit 2) with a hint', async () => {
    const r = await lint(process.cwd(), ['lint', 'explain', 'docker-socket']);
    assert.equal(r.code, 2);
    assert.match(r.err, /did you mean compose\/docker-socket/);
  });

  it('a directory literally named like nothing special still lints', () => {
    assert.ok(existsSync(process.cwd()));
  });
});
