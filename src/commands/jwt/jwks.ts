import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';

export interface JwksOptions {
  output?: string;
}

/** The public JWKS (active and retiring asymmetric keys) on stdout or written atomically to --output. */
export async function runJwks(ctx: Ctx, opts: JwksOptions): Promise<number> {
  const { openJwt, jwks: publicKeys } = await import('../../services/jwt.js');
  const svc = await openJwt(ctx, { needKey: false });
  let jwks: { keys: unknown[] };
  try {
    jwks = await publicKeys(svc, ctx.clock().getTime());
  } finally {
    await svc.close();
  }
  const text = `${JSON.stringify(jwks, null, 2)}\n`;
  if (opts.output !== undefined) {
    const { writeFileAtomic } = await import('../../platform/fs.js');
    // Public keys: readable by the web server that publishes them.
    writeFileAtomic(opts.output, text, { mode: 0o644 });
    ctx.out.success(`wrote ${jwks.keys.length} public key(s) to ${opts.output}`);
  } else {
    ctx.io.stdout.write(text);
  }
  if (jwks.keys.length === 0) ctx.out.warn('the JWKS is empty: HS256 keys are never published; run agentsec jwt keygen for an asymmetric key');
  return ExitCode.Ok;
}

export function registerJwks(parent: Command, app: App): void {
  const cmd = parent
    .command('jwks')
    .description('print the public JWKS (active and retiring keys) for services to verify against')
    .option('--output <file>', 'write it to this file (atomically) instead of stdout')
    .action(action(app, runJwks));
  examples(cmd, ['agentsec jwt jwks --output /srv/www/.well-known/jwks.json']);
}
