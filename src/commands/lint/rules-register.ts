import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';

/** `agentsec lint rules`: kept apart from rules.ts so that the registry loads only when the command runs. */
export function registerLintRules(lint: Command, app: App): void {
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
}
