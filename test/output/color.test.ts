import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorLevel } from '../../src/output/color.js';

test('color only on a TTY by default; NO_COLOR and --no-color win; FORCE_COLOR forces', () => {
  assert.equal(colorLevel({ flag: true, env: {}, isTTY: false }), 0);
  assert.ok(colorLevel({ flag: true, env: {}, isTTY: true }) > 0);
  assert.equal(colorLevel({ flag: true, env: { NO_COLOR: '1' }, isTTY: true }), 0);
  assert.equal(colorLevel({ flag: true, env: { NO_COLOR: '' }, isTTY: true }) > 0, true, 'an empty NO_COLOR is ignored');
  assert.equal(colorLevel({ flag: false, env: { FORCE_COLOR: '1' }, isTTY: true }), 0);
  assert.equal(colorLevel({ flag: true, env: { FORCE_COLOR: '1' }, isTTY: false }), 1);
  assert.equal(colorLevel({ flag: true, env: { FORCE_COLOR: '0' }, isTTY: true }), 0);
  assert.equal(colorLevel({ flag: true, env: { TERM: 'dumb' }, isTTY: true }), 0);
});
