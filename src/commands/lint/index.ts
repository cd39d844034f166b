import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { registerLintExplain } from './explain-register.js';
import { registerLintRules } from './rules-register.js';

/** `agentsec lint [PATH...]`, `agentsec lint rules`, `agentsec lint explain ID`. run.ts, rules.ts and explain.ts load only when their command runs. */
export function registerLint(program: Command, app: App): void {
  // --format and --output pair up in the order they are written, so both collect into one sequence.
  const tokens: Array<{ kind: 'format' | 'output'; value: string }> = [];
  const lint = program
    .command('lint')
    .description('check deployment configs (compose, .env, Dockerfile, agent settings) against the hardening checklist')
    .argument('[paths...]', 'files or directories to lint (default: .)')
    .option('-f, --format <format>', 'table|text|json|sarif|junit; repeat with --output for several reports (default: table on a TTY, text when piped)', (value: string) => {
      tokens.push({ kind: 'format', value });
      return value;
    })
    .option('-o, --output <file>', 'write the matching --format to FILE instead of stdout; repeatable', (value: string) => {
      tokens.push({ kind: 'output', value });
      return value;
    })
    .option('--fail-on <severity>', 'exit 1 when a finding at or above it remains: critical|high|medium|low (default: high)')
    .option('--profile <name>', 'default|strict (strict: TLS 1.3 only, 15-minute access tokens, off-by-default rules on)')
    .option('--config <file>', '.agentsec.yaml to use (default: the first found walking up from the first path)')
    .option('--allow-skipped', 'do not fail when a file named on the command line cannot be linted (not a format it reads, over 4 MiB, UTF-16, binary); it is still reported')
    .action(
      action(app, async (ctx, opts, args) => {
        const { runLint } = await import('./run.js');
        const o = opts as { failOn?: string; profile?: string; config?: string; allowSkipped?: boolean };
        return runLint(ctx, (args[0] as string[] | undefined) ?? [], { ...o, outputs: tokens });
      }),
    );
  examples(lint, [
    'agentsec lint examples/insecure-agent',
    'agentsec lint . --format sarif --output agentsec.sarif --format text',
    'agentsec lint deploy/ --fail-on medium --profile strict',
    'agentsec lint rules',
    'agentsec lint explain compose/docker-socket',
  ]);
  registerLintRules(lint, app);
  registerLintExplain(lint, app);
}
