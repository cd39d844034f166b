import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { fingerprint } from '../../core/audit/keys.js';
import { ExitCode } from '../../core/errors.js';
import { cliActor } from '../../platform/actor.js';
import { openAuditStore } from './shared.js';

/** Starts the chain in an initialised store if it has none (agentsec init does this too) and prints its public key. */
export async function runAuditInit(ctx: Ctx): Promise<number> {
  const store = await openAuditStore(ctx);
  try {
    const { openAuditLog, auditSettings } = await import('../../services/audit.js');
    const log = await openAuditLog(ctx, store);
    const { publicKey, created } = await log.init((await auditSettings(ctx)).origin, cliActor());
    if (ctx.out.json) ctx.out.document({ created, publicKey, fingerprint: fingerprint(publicKey) });
    else {
      ctx.out.info(created ? 'created the audit chain and sealed checkpoint 0' : 'the audit chain already exists; its epoch-0 public key:');
      ctx.out.line(publicKey);
      ctx.out.info(`fingerprint ${fingerprint(publicKey)} — keep a copy of the key off this host`);
    }
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

export function registerAuditInit(parent: Command, app: App): void {
  const cmd = parent
    .command('init')
    .description("start the audit chain if the store has none, and print its epoch-0 public key (for verify --pubkey)")
    .action(action(app, (ctx) => runAuditInit(ctx)));
  examples(cmd, ['agentsec audit init > /secure/elsewhere/audit.pub']);
}
