import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram, requestedCommand } from '../../src/cli/program.js';
import { fakeIo } from '../support/io.js';

test('the requested command is the first word that is not a global option or its value', () => {
  assert.equal(requestedCommand(['--home', '/h', '--json', 'keys', 'list']), 'keys');
  assert.equal(requestedCommand(['--home=/h', 'audit']), 'audit');
  assert.equal(requestedCommand(['-q', '--', 'doctor']), 'doctor');
  assert.equal(requestedCommand(['--help']), undefined);
  assert.equal(requestedCommand([]), undefined);
});

// An area loaded alone must provide the command its name promises, or `agentsec <area> …` would break.
test('every top-level command is reachable when its own command line loads only what it needs', async () => {
  const full = await buildProgram({ io: fakeIo(), exitCode: 0 });
  const names = full.commands.map((c) => c.name());
  assert.ok(names.includes('audit') && names.includes('init'));
  for (const name of names) {
    const partial = await buildProgram({ io: fakeIo(), exitCode: 0 }, ['--json', name]);
    assert.ok(partial.commands.some((c) => c.name() === name), `${name} missing when loaded alone`);
  }
  const doctorOnly = await buildProgram({ io: fakeIo(), exitCode: 0 }, ['doctor']);
  assert.ok(doctorOnly.commands.length < full.commands.length, 'doctor loads no area');
});

test("lint's enum choices (kept apart so registering lint stays cheap) are the engine's names", async () => {
  const { PROFILE_CHOICES } = await import('../../src/commands/lint/choices.js');
  const { PROFILE_NAMES } = await import('../../src/lint/profiles.js');
  assert.deepEqual([...PROFILE_CHOICES], [...PROFILE_NAMES]);
});
