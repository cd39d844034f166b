import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { Runtime } from '../../services/runtime.js';

export interface RunOptions {
  listen?: string[];
  socket?: string;
  config?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/**
 * Runs the server in the foreground until SIGTERM or Ctrl-C (then drains and exits 0); SIGHUP reloads the config and
 * the caches, keeping the running config when the new one is refused.
 */
export async function runServe(ctx: Ctx, opts: RunOptions): Promise<number> {
  const { compileServeSettings } = await import('../../core/serve/settings.js');
  const { loadConfig } = await import('../../platform/config.js');
  const { resolve } = await import('node:path');
  const { existsSync } = await import('node:fs');
  const configPath = opts.config === undefined ? undefined : resolve(ctx.io.cwd, opts.config);
  const loadSettings = async () => {
    // A config file named on the command line must exist: starting on the defaults instead would serve with no route
    // policy and none of the operator's limits, without a word. (A reload after it was deleted is refused the same way.)
    if (configPath !== undefined && !existsSync(configPath)) throw usageError(`--config: ${configPath} does not exist (create it, or leave out --config to read the home's config.yaml)`);
    // With --config, every part of serve reads that file (the blocks policy and JWT settings too), not the home's.
    const rt: Runtime = configPath === undefined ? ctx : { ...ctx, config: () => loadConfig(configPath, (m) => ctx.warn(m, 'deprecation')) };
    const config = await rt.config();
    const s = compileServeSettings(config.serve, { ...(opts.listen ? { listen: opts.listen } : {}), ...(opts.socket !== undefined ? { socket: opts.socket } : {}) });
    if (!s.ok) throw usageError(s.message);
    return { rt, settings: s.value };
  };
  const { startServer } = await import('../../server/serve.js');
  const server = await startServer({ loadSettings, write: (line) => ctx.io.stderr.write(line) });
  const onHup = () => void server.reload();
  const onTerm = () => void server.shutdown();
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onTerm);
  const onAbort = () => void server.shutdown();
  ctx.io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await server.closed;
  } finally {
    process.off('SIGHUP', onHup);
    process.off('SIGTERM', onTerm);
    ctx.io.signal.removeEventListener('abort', onAbort);
  }
  // Ctrl-C is an interruption (130, set by the binary); SIGTERM is the way a service manager stops it: success.
  return ctx.io.signal.aborted ? ExitCode.Interrupted : ExitCode.Ok;
}

export function registerRun(parent: Command, app: App): void {
  const cmd = parent
    .command('run', { isDefault: true })
    .description('serve forward auth, /healthz and /metrics in the foreground (the default of agentsec serve)')
    .option('--listen <addr:port>', 'listen on this TCP address (repeat for more; default 127.0.0.1:8787, or serve.listen)', collect)
    .option('--socket <path>', 'also listen on this Unix socket (mode 0600, 0660 with serve.socketGroup)')
    .option('--config <file>', 'read this config file instead of the home\'s config.yaml')
    .action(action(app, runServe));
  examples(cmd, ['agentsec serve', 'agentsec serve --listen 127.0.0.1:8787 --socket /run/agentsec/agentsec.sock', 'agentsec serve --config /etc/agentsec/serve.yaml', 'kill -HUP "$(pidof agentsec)"   # reload config and caches']);
}
