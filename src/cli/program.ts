import { Command } from 'commander';
import { PACKAGE_NAME } from '../core/about.js';
import { registerComplete } from '../commands/root/complete.js';
import { registerCompletion } from '../commands/root/completion.js';
import { registerDoctor } from '../commands/root/doctor.js';
import { registerHelp } from '../commands/root/help.js';
import { registerInit } from '../commands/root/init.js';
import { VERSION } from '../platform/version.js';
import { examples, examplesOf, type App } from './command.js';

export { VERSION };

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
  { names: ['serve'], load: async () => (await import('../commands/serve/index.js')).registerServe },
  { names: ['store'], load: async () => (await import('../commands/store/index.js')).registerStore },
];

/** Root commands that need no area loaded. */
const ROOT_ONLY = new Set(['init', 'doctor', '__complete']);

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
  return text
    .replace(/^error:\s*/i, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/^option '(-[^' ,]+(?:, )?(--[^' ]+)?)[^']*' argument '([^']*)' is invalid\.\s*/, (_m, a: string, long: string | undefined, v: string) => `${long ?? a.replace(/, $/, '')}: unknown value '${v}': `)
    .replace(/\s*\(Did you mean ([^)]*)\)/, ': did you mean $1');
}

/** Builds the command tree; with argv, only the parts that command line can reach (all of it without). */
/**
 * A value that starts with '-' (a JWK thumbprint kid such as `-Xb3…`, a base64url id) reads as an unknown option:
 * say how to pass it.
 */
function valueHint(message: string): string {
  return /unknown option '-[A-Za-z0-9_-]{16,}'/.test(message) ? "; a value that starts with '-' goes after '--' (agentsec jwt keys retire -- -Xb3...)" : '';
}

/** Examples of the root and group help pages (a leaf command brings its own). */
const GROUP_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': ['agentsec init', 'agentsec lint .', 'agentsec keys issue --name ci-deploy --role operator', 'agentsec doctor', 'agentsec help keys issue', 'agentsec help exit-codes'],
  audit: ['agentsec audit status', 'agentsec audit log --since 24h', 'agentsec audit verify --pubkey-file audit.pub --strict'],
  secret: ['agentsec secret generate --bytes 32', 'agentsec secret rotate JWT_SECRET --dotenv .env --if-older-than 30d', 'agentsec secret status'],
  password: ['agentsec password hash > admin.hash', 'agentsec password verify --hash-file admin.hash'],
  keys: ['agentsec keys issue --name ci-deploy --role operator --expires 90d', 'agentsec keys list', 'agentsec keys revoke key_8f3kQ2mZ9xLp4Rt1 --yes'],
  jwt: ['agentsec jwt keygen', 'agentsec jwt issue --sub agent-7 --scope memory:read', 'agentsec jwt verify --token-file ./token'],
  totp: ['agentsec totp enroll alice', 'agentsec totp verify alice --code 492039', 'agentsec totp list'],
  serve: ['agentsec serve', 'agentsec serve --listen 127.0.0.1:8787 --socket /run/agentsec/agentsec.sock', 'curl -s http://127.0.0.1:8787/metrics'],
  blocks: ['agentsec blocks add 203.0.113.7 --for 24h', 'agentsec blocks check 203.0.113.7', 'agentsec blocks ingest /var/log/nginx/access.log', 'agentsec blocks export --format nftables'],
};

/**
 * What every command of the tree shares, set once the areas are registered: errors point at the help page of the
 * command that raised them (`agentsec keys isue` at `agentsec keys --help`), every group answers `help [command]`
 * (exit 0), and the root and group pages carry examples.
 */
function finishTree(program: Command, app: App): void {
  const visit = (cmd: Command, path: string[]) => {
    const help = ['agentsec', ...path, '--help'].join(' ');
    cmd.configureOutput({
      writeOut: (s) => app.io.stdout.write(s),
      writeErr: (s) => app.io.stderr.write(s),
      outputError: (s, write) => write(`agentsec: ${oneLine(s)}${valueHint(s)} (see ${help})\n`),
    });
    if (path.length > 0 && cmd.commands.length > 0) cmd.helpCommand('help [command]', 'show help for a command');
    const ex = GROUP_EXAMPLES[path.join(' ')];
    if (ex && examplesOf(cmd).length === 0) examples(cmd, ex);
    for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
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
  registerComplete(program, app);
  const areas = areasFor(argv);
  const registers = await Promise.all(areas.map((a) => a.load()));
  for (const register of registers) register(program, app);
  registerCompletion(program, app);
  registerHelp(program, app);
  finishTree(program, app);
  return program;
}
