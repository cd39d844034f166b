import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAudit } from '../commands/audit/index.js';
import { registerBlocks } from '../commands/blocks/index.js';
import { registerCompletion } from '../commands/root/completion.js';
import { registerDoctor } from '../commands/root/doctor.js';
import { registerHelp } from '../commands/root/help.js';
import { registerInit } from '../commands/root/init.js';
import { registerKeys } from '../commands/keys/index.js';
import { registerSecrets } from '../commands/secret/index.js';
import type { App } from './command.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Each area adds its command group with one registration here when its issue lands
 * (secret, password, keys, jwt, totp, lint, audit, blocks).
 */
const REGISTRATIONS: ReadonlyArray<(program: Command, app: App) => void> = [
  registerInit,
  registerDoctor,
  registerAudit,
  registerSecrets,
  registerKeys,
  registerBlocks,
  registerCompletion,
  registerHelp,
];

function oneLine(text: string): string {
  return text.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim();
}

export function buildProgram(app: App): Command {
  const program = new Command('agentsec');
  program
    .description('secure AI agent servers: secrets, passwords, API keys, JWT, TOTP, config lint, audit chain, IP blocks')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .option('--home <dir>', 'agentsec home (default: $AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec)')
    .option('--json', 'print one JSON document (JSON Lines for streams)')
    .option('-q, --quiet', 'print only data, no progress or status messages')
    .option('--no-color', 'disable color (also NO_COLOR=1; FORCE_COLOR=1 forces it)')
    .option('-y, --yes', 'answer yes to confirmations (for scripts)')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => app.io.stdout.write(s),
      writeErr: (s) => app.io.stderr.write(s),
      // Commander's own usage errors become one line, with a pointer to help.
      outputError: (s, write) => write(`agentsec: ${oneLine(s)} (see agentsec --help)\n`),
    });
  for (const register of REGISTRATIONS) register(program, app);
  return program;
}
