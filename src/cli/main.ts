import { CommanderError } from 'commander';
import { AgentsecError, ExitCode } from '../core/errors.js';
import type { Io } from '../platform/io.js';
import type { App } from './command.js';
import { buildProgram, requestedCommand } from './program.js';

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Turns anything thrown into one line on stderr and an exit code. No stack trace unless AGENTSEC_DEBUG=1. */
export function reportError(err: unknown, io: Io): number {
  const debug = io.env['AGENTSEC_DEBUG'] === '1';
  if (err instanceof AgentsecError) {
    io.stderr.write(`agentsec: ${oneLine(err.message)}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n${err.cause instanceof Error ? err.cause.stack : ''}\n`);
    return err.exitCode;
  }
  if (io.signal.aborted) return ExitCode.Interrupted;
  const code = (err as { code?: string } | undefined)?.code;
  if (code === 'EPIPE') return ExitCode.Ok;
  const msg = err instanceof Error ? err.message : String(err);
  io.stderr.write(`agentsec: internal error: ${oneLine(msg)} (rerun with AGENTSEC_DEBUG=1 for details)\n`);
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return ExitCode.Runtime;
}

/**
 * `agentsec --help keys issue` means the help of `keys issue`, as in git and kubectl; commander would show the root
 * page. A help flag written before the command words moves behind them (nothing after `--` is touched).
 */
export function helpLast(argv: readonly string[]): string[] {
  const end = argv.indexOf('--') < 0 ? argv.length : argv.indexOf('--');
  const at = argv.findIndex((a, i) => i < end && (a === '-h' || a === '--help'));
  if (at < 0) return [...argv];
  const rest = argv.filter((_, i) => i !== at);
  const word = requestedCommand(rest.slice(0, end - 1));
  if (word === undefined || rest.indexOf(word) < at) return [...argv];
  return [...rest.slice(0, end - 1), argv[at] as string, ...rest.slice(end - 1)];
}

/** Runs the CLI on argv (without node and script) and returns the exit code. Never calls process.exit. */
export async function run(argv: readonly string[], io: Io, overrides: Pick<App, 'ctxOverrides'> = {}): Promise<number> {
  const app: App = { io, exitCode: ExitCode.Ok, ...overrides };
  let program;
  try {
    program = await buildProgram(app, argv);
  } catch (err) {
    return reportError(err, io);
  }
  try {
    await program.parseAsync(helpLast(argv), { from: 'user' });
    return app.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // `--help`, `help CMD` and `GROUP help CMD` asked for help: 0. A bare group (`agentsec keys`) shows its help as
      // an error: 2.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || (err.code === 'commander.help' && err.exitCode === 0)) return ExitCode.Ok;
      // Usage errors (already printed by outputError) and help shown for a bare command group.
      return ExitCode.Usage;
    }
    return reportError(err, io);
  }
}
