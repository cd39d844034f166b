import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerRun } from './run.js';

/**
 * `agentsec serve …`: the enforcement point. Bare `agentsec serve` runs the server (`serve run` is its default
 * subcommand); other subcommands of serve add one entry each to the list below.
 */
export function registerServe(program: Command, app: App): void {
  const serve = program.command('serve').description('run the enforcement point: forward auth for nginx, Traefik, Caddy and Envoy, health and metrics');
  for (const register of [registerRun]) register(serve, app);
}
