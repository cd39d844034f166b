import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileServeSettings } from '../../src/core/serve/settings.js';
import { loadConfig } from '../../src/platform/config.js';
import { ROOT, runCli, tempDir } from '../support/cli.js';
import { have } from '../support/tmux.js';

const dir = join(ROOT, 'examples', 'serve');
const unit = readFileSync(join(dir, 'systemd', 'agentsec-serve.service'), 'utf8');

test('examples/serve: agentsec lint finds nothing', () => {
  const r = runCli(['lint', 'examples/serve']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('examples/serve: the sample config.yaml is a valid serve section', async () => {
  const t = tempDir();
  try {
    // loadConfig refuses a file others can write: check a private copy, as agentsec would read it.
    const copy = join(t.dir, 'config.yaml');
    writeFileSync(copy, readFileSync(join(dir, 'config.yaml')));
    chmodSync(copy, 0o600);
    const s = compileServeSettings((await loadConfig(copy)).serve);
    assert.ok(s.ok, s.ok ? '' : s.message);
    assert.equal(s.value.routes.length, 6);
    assert.equal(s.value.rateLimits.length, 3);
  } finally {
    t.cleanup();
  }
});

test('examples/serve: the systemd unit is hardened, writes only its home, and its command line is accepted', () => {
  for (const d of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'ProtectHome=yes', 'PrivateDevices=yes', 'CapabilityBoundingSet=', 'IPAddressDeny=any']) assert.ok(unit.includes(`\n${d}\n`), d);
  assert.match(unit, /^ReadWritePaths=\/var\/lib\/agentsec$/m);
  assert.match(unit, /^Environment=AGENTSEC_HOME=\/var\/lib\/agentsec$/m);
  assert.match(unit, /^User=agentsec$/m);
  const exec = /^ExecStart=\/usr\/local\/bin\/agentsec (.*)$/m.exec(unit)?.[1] ?? '';
  const help = runCli(['serve', 'run', '--help']).stdout;
  for (const flag of exec.split(' ').filter((w) => w.startsWith('--'))) assert.ok(help.includes(`${flag} `), `${flag} is an option of agentsec serve`);
});

test('examples/serve: systemd-analyze verify accepts the unit, without a warning', (t) => {
  if (!have('systemd-analyze')) return t.skip('systemd-analyze not installed (systemd)');
  const d = tempDir();
  try {
    const stub = join(d.dir, 'agentsec-stub');
    writeFileSync(stub, '#!/bin/sh\n');
    chmodSync(stub, 0o755);
    mkdirSync(join(d.dir, 'units'));
    const copy = join(d.dir, 'units', 'agentsec-serve.service');
    writeFileSync(copy, unit.replaceAll('/usr/local/bin/agentsec', stub));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', copy], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split('\n').filter((l) => l.includes(copy)).join('\n'), '', 'no warnings about the unit');
    writeFileSync(copy, unit.replaceAll('/usr/local/bin/agentsec', stub).replace('ProtectSystem=strict', 'ProtectSistem=strict'));
    assert.match(spawnSync('systemd-analyze', ['verify', '--man=no', copy], { encoding: 'utf8' }).stderr, /Unknown key 'ProtectSistem'/, 'the check is real');
  } finally {
    d.cleanup();
  }
});
