import assert from 'node:assert/strict';
import { test } from 'node:test';
import { homePaths, resolveHome } from '../../src/platform/paths.js';

test('--home beats AGENTSEC_HOME beats XDG_DATA_HOME', () => {
  const env = { AGENTSEC_HOME: '/env/home', XDG_DATA_HOME: '/xdg', HOME: '/u' };
  assert.equal(resolveHome({ flag: '/flag', env, cwd: '/cwd' }), '/flag');
  assert.equal(resolveHome({ flag: undefined, env, cwd: '/cwd' }), '/env/home');
  assert.equal(resolveHome({ env: { XDG_DATA_HOME: '/xdg', HOME: '/u' }, cwd: '/cwd' }), '/xdg/agentsec');
  assert.equal(resolveHome({ env: { HOME: '/u' }, cwd: '/cwd' }), '/u/.local/share/agentsec');
});

test('relative --home and AGENTSEC_HOME resolve against the working directory; relative XDG_DATA_HOME is ignored', () => {
  assert.equal(resolveHome({ flag: 'h', env: {}, cwd: '/work' }), '/work/h');
  assert.equal(resolveHome({ env: { AGENTSEC_HOME: '../h' }, cwd: '/work/x' }), '/work/h');
  assert.equal(resolveHome({ env: { XDG_DATA_HOME: 'rel', HOME: '/u' }, cwd: '/w' }), '/u/.local/share/agentsec');
});

test('home paths', () => {
  const p = homePaths('/h');
  assert.equal(p.db, '/h/agentsec.db');
  assert.equal(p.masterKey, '/h/master.key');
  assert.equal(p.config, '/h/config.yaml');
});
