import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';

/** `agentsec lint [PATH...]`, `agentsec lint rules`, `agentsec lint explain ID`. */
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
    .action(
      action(app, async (ctx, opts, args) => {
        const { runLint } = await import('./run.js');
        const o = opts as { failOn?: string; profile?: string; config?: string };
        return runLint(ctx, (args[0] as string[] | undefined) ?? [], { ...o, outputs: tokens });
      }),
    );
  examples(lint, [
    'agentsec lint examples/insecure',
    'agentsec lint . --format sarif --output agentsec.sarif --format text',
    'agentsec lint deploy/ --fail-on medium --profile strict',
    'agentsec lint rules',
    'agentsec lint explain compose/docker-socket',
  ]);
  const rules = lint
    .command('rules')
    .description('list every rule: id, severity, on or off by default, title')
    .action(
      action(app, async (ctx) => {
        const { runLintRules } = await import('./rules.js');
        return runLintRules(ctx);
      }),
    );
  examples(rules, ['agentsec lint rules', 'agentsec lint rules --json | jq -r ".rules[].id"']);
  const explain = lint
    .command('explain')
    .description('print a rule\'s rationale, remediation and references')
    .argument('<id>', 'rule id, e.g. compose/privileged')
    .action(
      action(app, async (ctx, _opts, args) => {
        const { runLintExplain } = await import('./explain.js');
        return runLintExplain(ctx, args[0] as string);
      }),
    );
  examples(explain, ['agentsec lint explain agent/default-secret']);
}
