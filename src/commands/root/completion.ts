import { Argument, type Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import { bashCompletion, fishCompletion, zshCompletion } from '../../cli/docs.js';
import { ExitCode } from '../../core/errors.js';

export function registerCompletion(program: Command, app: App): void {
  const cmd = program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'shell to complete for').choices(['bash', 'zsh', 'fish']))
    .action(
      action(app, async (ctx, _opts, args) => {
        const shell = args[0] as 'bash' | 'zsh' | 'fish';
        const gen = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion }[shell];
        ctx.io.stdout.write(gen(program));
        return ExitCode.Ok;
      }),
    );
  examples(cmd, ['source <(agentsec completion bash)', 'agentsec completion zsh > "${fpath[1]}/_agentsec"', 'agentsec completion fish > ~/.config/fish/completions/agentsec.fish']);
}
