import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JWT_TOKEN_ENV } from '../../src/commands/jwt/input.js';
import { API_KEY_ENV } from '../../src/commands/keys/key-input.js';
import { hookEnv, SECRET_ENV_VARS } from '../../src/platform/child-env.js';
import { PASSPHRASE_ENV } from '../../src/platform/master-key.js';

test('hook commands get the environment without the variables agentsec reads secrets from', () => {
  assert.deepEqual([...SECRET_ENV_VARS].sort(), [API_KEY_ENV, JWT_TOKEN_ENV, PASSPHRASE_ENV].sort());
  const env = { PATH: '/usr/bin', HOME: '/root', AGENTSEC_HOME: '/srv/agentsec', [PASSPHRASE_ENV]: 'correct horse', [API_KEY_ENV]: 'ask_x', [JWT_TOKEN_ENV]: 'e.y.z', EMPTY: undefined };
  assert.deepEqual(hookEnv(env, { AGENTSEC_EXPORT_FILE: '/etc/x' }), { PATH: '/usr/bin', HOME: '/root', AGENTSEC_HOME: '/srv/agentsec', AGENTSEC_EXPORT_FILE: '/etc/x' });
});
