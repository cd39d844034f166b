import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerCredentials } from './register-credentials.js';
import { registerRun } from './run.js';

/**
 * `agentsec serve …`: the enforcement point. Bare `agentsec serve` runs the server (`serve run` is its default
 * subcommand); `serve token …` and `serve bouncer …` manage the credentials of the app API and the decision API.
 */
export function registerServe(program: Command, app: App): void {
  const serve = program
    .command('serve')
    .description('run the enforcement point: forward auth for nginx, Traefik, Caddy and Envoy, an app API, a CrowdSec decision API, health and metrics');
  registerRun(serve, app);
  registerCredentials(serve, app);
}
