import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { PACKAGE_NAME } from '../core/about.js';
import { registerCompletion } from '../commands/root/completion.js';
import { registerDoctor } from '../commands/root/doctor.js';
import { registerHelp } from '../commands/root/help.js';
import { registerInit } from '../commands/root/init.js';
import type { App } from './command.js';

/** The version in agentsec's package.json, found upwards from this module (tsc's `dist/src/cli/` or the bundle's `dist/cli/`). */
function packageVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = new URL('..', dir);
  }
  return 'unknown';
}

export const VERSION: string = packageVersion();

type Register = (program: Command, app: App) => void;

/**
 * The command groups of each area, loaded only when the command line needs them: `agentsec keys verify` compiles
 * the keys commands and nothing else, which keeps start-up close to bare `node`. Each area adds one row here when
 * its issue lands (secret, password, keys, jwt, totp, lint, audit, blocks).
 */
const AREAS: ReadonlyArray<{ readonly names: readonly string[]; readonly load: () => Promise<Register> }> = [
  { names: ['audit'], load: async () => (await import('../commands/audit/index.js')).registerAudit },
  { names: ['secret', 'password'], load: async () => (await import('../commands/secret/index.js')).registerSecrets },
  { names: ['keys'], load: async () => (await import('../commands/keys/index.js')).registerKeys },
  { names: ['lint'], load: async () => (await import('../commands/lint/index.js')).registerLint },
  { names: ['jwt'], load: async () => (await import('../commands/jwt/index.js')).registerJwt },
  { names: ['totp'], load: async () => (await import('../commands/totp/index.js')).registerTotp },
  { names: ['blocks'], load: async () => (await import('../commands/blocks/index.js')).registerBlocks },
];

/** Root commands that need no area loaded. */
const ROOT_ONLY = new Set(['init', 'doctor']);

/** The first word of argv that is not a global option or its value: the command asked for. */
export function requestedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--home') i++;
    else if (arg === '--') return argv[i + 1];
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** The areas to load for argv: one when it names an area, none for init/doctor, all for help, completion or a typo. */
function areasFor(argv: readonly string[] | undefined): typeof AREAS {
  const wanted = argv === undefined ? undefined : requestedCommand(argv);
  if (wanted !== undefined && ROOT_ONLY.has(wanted)) return [];
  const one = AREAS.filter((a) => wanted !== undefined && a.names.includes(wanted));
  return one.length > 0 ? one : AREAS;
}

function oneLine(text: string): string {
  return text.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim();
}

/** Builds the command tree; with argv, only the parts that command line can reach (all of it without). */
/**
 * A value that starts with '-' (a JWK thumbprint kid such as `-Xb3…`, a base64url id) reads as an unknown option:
 * say how to pass it.
 */
function valueHint(message: string): string {
  return /unknown option '-[A-Za-z0-9_-]{16,}'/.test(message) ? "; a value that starts with '-' goes after '--' (agentsec jwt keys retire -- -Xb3...)" : '';
}

export async function buildProgram(app: App, argv?: readonly string[]): Promise<Command> {
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
      outputError: (s, write) => write(`agentsec: ${oneLine(s)}${valueHint(s)} (see agentsec --help)\n`),
    });
  registerInit(program, app);
  registerDoctor(program, app);
  const areas = areasFor(argv);
  const registers = await Promise.all(areas.map((a) => a.load()));
  for (const register of registers) register(program, app);
  registerCompletion(program, app);
  registerHelp(program, app);
  return program;
}
