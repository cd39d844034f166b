import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { EXIT_CODE_DOCS, ExitCode, usageError } from '../../core/errors.js';

export function registerHelp(program: Command, app: App): void {
  const cmd = program
    .command('help')
    .description('show help for a command, or a topic: exit-codes')
    .argument('[topic...]', 'a command path (keys issue) or exit-codes')
    .action(
      action(app, async (ctx, _opts, args) => {
        const topic = (args[0] as string[] | undefined) ?? [];
        if (topic.length === 1 && topic[0] === 'exit-codes') {
          if (ctx.out.json) ctx.out.document({ exitCodes: EXIT_CODE_DOCS });
          else ctx.out.table([{ header: 'CODE', value: (e: (typeof EXIT_CODE_DOCS)[number]) => e.code, keep: true }, { header: 'MEANING', value: (e) => e.meaning, wrap: true, min: 20 }], EXIT_CODE_DOCS);
          return ExitCode.Ok;
        }
        let target: Command = program;
        for (const word of topic) {
          const next = target.commands.find((c) => c.name() === word || c.aliases().includes(word));
          if (!next) throw usageError(`no help topic '${topic.join(' ')}': try agentsec --help or agentsec help exit-codes`);
          target = next;
        }
        target.outputHelp();
        return ExitCode.Ok;
      }),
    );
  examples(cmd, ['agentsec help exit-codes', 'agentsec help init']);
}
