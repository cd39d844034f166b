import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

/** `agentsec lint explain ID`: kept apart from explain.ts so that the registry loads only when the command runs. */
export function registerLintExplain(lint: Command, app: App): void {
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
  completesArgs(explain, dynamic('lint-rules'));
  examples(explain, ['agentsec lint explain agent/default-secret']);
}
