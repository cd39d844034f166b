import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerCredentials } from './register-credentials.js';

/** `agentsec serve …`: the enforcement point's credentials (the server itself joins at merge). */
export function registerServe(program: Command, app: App): void {
  const serve = program.command('serve').description('the HTTP enforcement point: app tokens and CrowdSec bouncer keys');
  registerCredentials(serve, app);
}
