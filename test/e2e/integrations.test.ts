import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Command } from 'commander';
import YAML from 'yaml';
import { buildProgram } from '../../src/cli/program.js';
import { BIN, ROOT, runCli, tempDir } from '../support/cli.js';
import { have } from '../support/tmux.js';
import { fakeIo } from '../support/io.js';

const tmp = tempDir('agentsec-integrations-');
after(() => tmp.cleanup());
const bin = join(tmp.dir, 'bin');
let program: Command;

before(async () => {
  program = await buildProgram({ io: fakeIo(), exitCode: 0 });
  mkdirSync(bin);
  writeFileSync(join(bin, 'agentsec'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'agentsec'), 0o755);
});

/** Splits a command line as a shell would for these simple lines: spaces, and "…" or '…' quoting. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** What is wrong with an `agentsec …` command line: an unknown command or an option its command does not have. */
function commandLineProblems(argv: readonly string[]): string[] {
  const problems: string[] = [];
  let cmd = program;
  const optionsOf = (c: Command) => c.options.flatMap((o) => [o.short, o.long]).filter(Boolean) as string[];
  const globals = optionsOf(program);
  for (const w of argv) {
    if (w.startsWith('-')) {
      const flag = w.split('=')[0] as string;
      if (![...optionsOf(cmd), ...globals, '-h', '--help'].includes(flag)) problems.push(`${flag} is not an option of agentsec ${cmd.name()}`);
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === w);
    if (sub) cmd = sub;
  }
  if (cmd.commands.length > 0 && !(cmd as unknown as { _actionHandler: unknown })._actionHandler) problems.push(`agentsec ${cmd.name()} needs a subcommand`);
  return problems;
}

describe('systemd units', () => {
  const dir = join(ROOT, 'examples', 'systemd');
  const units = readdirSync(dir).filter((f) => /\.(service|timer)$/.test(f));
  const text = (f: string) => readFileSync(join(dir, f), 'utf8');

  test('the units the README promises exist: seal, daily verify --state, monthly rotate, ingest -f, export --then', () => {
    const all = units.map(text).join('\n');
    assert.match(text('agentsec-seal.service'), /agentsec --quiet audit seal/);
    assert.match(text('agentsec-verify.service'), /audit verify --pubkey-file \S+ --state \S+/);
    assert.match(text('agentsec-verify.timer'), /OnCalendar=daily/);
    assert.match(text('agentsec-rotate.service'), /secret rotate \S+ --dotenv \S+ --if-older-than 30d/);
    assert.match(text('agentsec-rotate.timer'), /OnCalendar=\*-\*-01 /);
    assert.match(text('agentsec-ingest.service'), /blocks ingest -f /);
    assert.match(text('agentsec-export.service'), /blocks export --format nftables --output \S+ --then /);
    for (const t of units.filter((u) => u.endsWith('.timer'))) assert.ok(units.includes(t.replace(/\.timer$/, '.service')), `${t} has its service`);
    assert.doesNotMatch(all, /MemoryDenyWriteExecute/, 'V8 needs writable and executable memory for its JIT');
  });

  test('every service is hardened and writes only its home (and what its job needs)', () => {
    for (const f of units.filter((u) => u.endsWith('.service'))) {
      const t = text(f);
      for (const d of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'ProtectHome=yes', 'PrivateDevices=yes', 'CapabilityBoundingSet=']) assert.ok(t.includes(`\n${d}`), `${f}: ${d}`);
      const home = /^Environment=AGENTSEC_HOME=(\S+)$/m.exec(t)?.[1];
      assert.ok(home, `${f} names its home`);
      assert.ok((/^ReadWritePaths=(.*)$/m.exec(t)?.[1] ?? '').split(' ').includes(home), `${f}: ReadWritePaths= the home`);
      assert.match(t, /^User=(?!root)\S+$/m, `${f} does not run as root`);
    }
  });

  test('every agentsec command line in them is one the CLI accepts', () => {
    for (const f of units.filter((u) => u.endsWith('.service'))) {
      for (const m of text(f).matchAll(/^ExecStart=\/usr\/local\/bin\/agentsec (.*)$/gm)) assert.deepEqual(commandLineProblems(words(m[1] as string)), [], `${f}: ${m[1]}`);
    }
  });

  test('systemd-analyze verify accepts them, without a warning', (t) => {
    if (!have('systemd-analyze')) return t.skip('systemd-analyze not installed (systemd)');
    // verify checks that ExecStart= is executable: the copies point at a stand-in for the installed binary.
    const copy = join(tmp.dir, 'units');
    mkdirSync(copy);
    const stub = join(tmp.dir, 'agentsec-stub');
    writeFileSync(stub, '#!/bin/sh\n');
    chmodSync(stub, 0o755);
    for (const f of units) writeFileSync(join(copy, f), text(f).replaceAll('/usr/local/bin/agentsec', stub));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...units.map((f) => join(copy, f))], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split('\n').filter((l) => l.includes(copy)).join('\n'), '', 'no warnings about the units');
    // The check is real: a misspelt directive is reported.
    writeFileSync(join(copy, 'agentsec-seal.service'), text('agentsec-seal.service').replace('NoNewPrivileges=yes', 'NoNewPrivilges=yes').replaceAll('/usr/local/bin/agentsec', stub));
    assert.match(spawnSync('systemd-analyze', ['verify', '--man=no', join(copy, 'agentsec-seal.service')], { encoding: 'utf8' }).stderr, /Unknown key 'NoNewPrivilges'/);
  });
});

describe('GitHub Action', () => {
  const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: Array<{ id?: string; run?: string; shell?: string; uses?: string; env?: Record<string, string> }> };
  };

  test('a composite action: pinned agentsec-server, SARIF uploaded, inputs only through env (no script injection)', () => {
    assert.equal(action.runs.using, 'composite');
    assert.match(action.inputs['version']?.default ?? '', /^\d+\.\d+\.\d+$/);
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
    const raw = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    for (const m of raw.matchAll(/\$\{\{\s*inputs\.([a-z-]+)\s*\}\}/g)) assert.ok(action.inputs[m[1] as string], `input ${m[1]} is declared`);
    for (const s of action.runs.steps.filter((x) => x.run)) {
      assert.ok(s.shell, 'a composite run step names its shell');
      assert.doesNotMatch(s.run as string, /\$\{\{/, 'no expression pasted into a script');
    }
    assert.match(raw, /npm install --global --no-audit --no-fund "agentsec-server@\$AGENTSEC_VERSION"/);
    assert.match(raw, /security-events: write/);
    assert.match(raw, /actions\/checkout@/);
  });

  test('every third-party action, in the action and in the README, is pinned by a full commit SHA with its tag beside it', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const raw = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    const uses = [...`${raw}\n${readme}`.matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@(\S+)(.*)$/gm)]
      .filter((m) => !(m[1] as string).startsWith('agentsec-server/'));
    assert.ok(uses.length >= 3, 'setup-node, upload-sarif and checkout are used');
    for (const m of uses) {
      assert.match(m[2] as string, /^[0-9a-f]{40}$/, `${m[1]}@${m[2]} is pinned by commit SHA`);
      assert.match(m[3] as string, /#\s*v\d+\.\d+\.\d+/, `${m[1]} names its tag in a comment`);
    }
  });

  test('its lint step, run for real: SARIF written, exit code reported, findings do not stop the upload', () => {
    const step = action.runs.steps.find((s) => s.id === 'lint') as { run: string; env: Record<string, string> };
    for (const [paths, code] of [['examples/insecure-agent', '1'], ['examples/hardened-agent', '0'], ['no/such/dir', '2']] as const) {
      const out = join(tmp.dir, `gh-output-${code}`);
      writeFileSync(out, '');
      const sarif = join(tmp.dir, `gh-${code}.sarif`);
      const r = spawnSync('bash', ['-c', step.run], { cwd: ROOT, encoding: 'utf8', env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, GITHUB_OUTPUT: out, LINT_PATHS: paths, LINT_PROFILE: 'default', LINT_FAIL_ON: 'high', SARIF_FILE: sarif, NO_COLOR: '1' } });
      assert.equal(readFileSync(out, 'utf8'), `exit-code=${code}\n`, r.stderr);
      assert.equal(r.status, code === '2' ? 2 : 0, 'the step fails only when the report cannot be trusted');
      if (code !== '2') assert.equal((JSON.parse(readFileSync(sarif, 'utf8')) as { version: string }).version, '2.1.0');
    }
  });
});

describe('pre-commit hooks', () => {
  const hooks = YAML.parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; language: string; files?: string }>;

  test('lint and keys scan, as node hooks whose entries the CLI accepts, matching the files lint reads', () => {
    assert.deepEqual(hooks.map((h) => h.id), ['agentsec-lint', 'agentsec-keys-scan']);
    for (const h of hooks) {
      assert.equal(h.language, 'node');
      assert.deepEqual(commandLineProblems(words(h.entry).slice(1)), [], h.entry);
    }
    const files = new RegExp(hooks[0]?.files ?? '');
    for (const f of ['deploy/compose.yaml', 'Dockerfile', 'svc/Dockerfile.prod', '.env', 'conf/nginx.conf', 'traefik.toml', 'settings.json']) assert.ok(files.test(f), f);
    for (const f of ['README.md', 'src/index.ts']) assert.ok(!files.test(f), f);
  });

  test('run as pre-commit runs them (entry + staged files): a key in a file stops the commit', () => {
    const h = join(tmp.dir, 'h');
    assert.equal(runCli(['--home', h, 'init', '--quiet']).code, 0);
    const key = JSON.parse(runCli(['--home', h, '--json', 'keys', 'issue', '--name', 'leak']).stdout) as { key: string };
    const leaked = join(tmp.dir, 'config.txt');
    writeFileSync(leaked, `AGENT_KEY=${key.key}\n`);
    const scan = hooks[1] as { entry: string };
    const r = spawnSync('sh', ['-c', `${scan.entry} "$@"`, 'sh', leaked], { encoding: 'utf8', env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: tmp.dir, NO_COLOR: '1' } });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(!r.stdout.includes(key.key) && !r.stderr.includes(key.key), 'the key is not printed');
    const lint = hooks[0] as { entry: string };
    const bad = spawnSync('sh', ['-c', `${lint.entry} "$@"`, 'sh', 'examples/insecure-agent/compose.yaml'], { cwd: ROOT, encoding: 'utf8', env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
    assert.equal(bad.status, 1);
    const good = spawnSync('sh', ['-c', `${lint.entry} "$@"`, 'sh', 'examples/hardened-agent/compose.yaml', 'examples/hardened-agent/Dockerfile'], { cwd: ROOT, encoding: 'utf8', env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
    assert.equal(good.status, 0, good.stdout + good.stderr);
  });
});

describe('GitLab CI template', () => {
  const tpl = YAML.parse(readFileSync(join(ROOT, 'ci', 'agentsec.gitlab-ci.yml'), 'utf8')) as {
    variables: Record<string, string>;
    'agentsec-lint': { image: string; script: string[]; artifacts: { reports: { junit: string }; paths: string[] } };
  };

  test('one job: pinned package and image, JUnit as the test report, SARIF kept', () => {
    const job = tpl['agentsec-lint'];
    assert.match(tpl.variables['AGENTSEC_VERSION'] ?? '', /^\d+\.\d+\.\d+$/);
    assert.match(job.image, /^node:\d+\.\d+\.\d+-/);
    assert.ok(job.script.some((l) => l.includes('"agentsec-server@${AGENTSEC_VERSION}"')));
    assert.equal(job.artifacts.reports.junit, 'agentsec-junit.xml');
    assert.ok(job.artifacts.paths.includes('agentsec.sarif'));
  });

  test('its lint line, run for real, writes the reports it declares', () => {
    const job = tpl['agentsec-lint'];
    const line = job.script.find((l) => l.startsWith('agentsec lint')) as string;
    const expanded = line.replace(/\$\{(\w+)\}/g, (_m, v: string) => ({ ...tpl.variables, AGENTSEC_PATHS: 'examples/insecure-agent examples/hardened-agent' })[v] ?? '');
    assert.deepEqual(commandLineProblems(words(expanded).slice(1)), []);
    const work = join(tmp.dir, 'gitlab');
    mkdirSync(work);
    for (const d of ['insecure-agent', 'hardened-agent']) {
      mkdirSync(join(work, 'examples', d), { recursive: true });
      for (const f of readdirSync(join(ROOT, 'examples', d))) copyFileSync(join(ROOT, 'examples', d, f), join(work, 'examples', d, f));
    }
    const r = spawnSync('sh', ['-c', expanded], { cwd: work, encoding: 'utf8', env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
    assert.equal(r.status, 1, 'the insecure example fails the job');
    assert.match(readFileSync(join(work, 'agentsec-junit.xml'), 'utf8'), /<testsuites name="agentsec lint" tests="\d+" failures="[1-9]\d*"/);
    assert.ok(existsSync(join(work, 'agentsec.sarif')));
  });
});

describe('container image', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  test('agentsec lint --profile strict passes its own Dockerfile', () => {
    // The .dockerignore is read beside the Dockerfile; named on its own it is a file lint does not read (exit 2).
    const r = runCli(['lint', '--profile', 'strict', '--fail-on', 'low', 'Dockerfile'], { cwd: ROOT });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^no findings in 1 file/);
  });

  test('multi-stage, pinned base images, non-root, a healthcheck, the CLI as the entrypoint', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1] as string);
    assert.ok(froms.length >= 2, 'multi-stage');
    for (const f of froms) assert.match(f, /^[\w./-]+:\d+\.\d+\.\d+[-\w.]*$/, `${f} is pinned to an exact version`);
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(final, /^USER (?!root\b|0\b)\S+$/m);
    assert.match(final, /^HEALTHCHECK .*CMD \["agentsec", "doctor"/m);
    assert.match(final, /^ENTRYPOINT \["agentsec"\]$/m);
    assert.doesNotMatch(final, /^COPY --from=build \/src\/(src|test)\b/m, 'no sources in the runtime image');
  });
});
