import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerBouncerAdd } from './bouncer-add.js';
import { registerBouncerDelete } from './bouncer-delete.js';
import { registerBouncerList } from './bouncer-list.js';
import { registerTokenCreate } from './token-create.js';
import { registerTokenList } from './token-list.js';
import { registerTokenRevoke } from './token-revoke.js';

/** `agentsec serve token …` (app tokens of the app API) and `agentsec serve bouncer …` (CrowdSec bouncer keys). */
export function registerCredentials(serve: Command, app: App): void {
  const token = serve.command('token').description('create, list and revoke app tokens for the app API (stored only as hashes)');
  for (const register of [registerTokenCreate, registerTokenList, registerTokenRevoke]) register(token, app);
  const bouncer = serve.command('bouncer').description('add, list and delete CrowdSec bouncer keys for the decision API');
  for (const register of [registerBouncerAdd, registerBouncerList, registerBouncerDelete]) register(bouncer, app);
}
