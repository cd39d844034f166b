import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { fingerprint } from '../../core/audit/keys.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { cliActor } from '../../platform/actor.js';
import { confirmAction } from '../../platform/confirm.js';
import { openAuditStore } from './shared.js';

/**
 * Recovers from a lost or replaced signing key: seals the open epoch with a new key line and prints its public key
 * on stdout (to pin beside the epoch-0 key). It cannot be undone and every verifier will see the break, so it asks
 * first (--yes answers for scripts).
 */
export async function runRekey(ctx: Ctx): Promise<number> {
  const store = await openAuditStore(ctx);
  try {
    const { openAuditLog } = await import('../../services/audit.js');
    const log = await openAuditLog(ctx, store);
    const state = await log.signingKeyState();
    if (state === undefined) throw usageError('the audit chain is not initialised: run agentsec init');
    if (state.ok) throw usageError(`the signing key for epoch ${state.epoch} is present and valid: nothing to recover (audit rekey is for a lost or replaced key)`);
    await confirmAction(ctx.io, {
      yes: ctx.globals.yes,
      question: `${state.message}. Start a new key line at epoch ${state.epoch}? audit verify will report key-reset at epoch ${state.epoch} until you pin the new key or pass --accept-reset ${state.epoch}`,
      refusal: `audit rekey starts a new key line at epoch ${state.epoch} (${state.reason} key), which every audit verify reports as key-reset at epoch ${state.epoch} until you pin the new key or pass --accept-reset ${state.epoch}`,
      ...(ctx.prompt ? { prompt: ctx.prompt } : {}),
    });
    const r = await log.rekey(cliActor());
    if (ctx.out.json) {
      ctx.out.document({ epoch: r.epoch, reason: r.reason, size: r.size, publicKey: r.publicKey, fingerprint: fingerprint(r.publicKey) });
    } else {
      ctx.out.info(`started a new key line at epoch ${r.epoch} (${r.reason} key) and sealed ${r.size} entries with it; its public key:`);
      ctx.out.line(r.publicKey);
      ctx.out.info(`fingerprint ${fingerprint(r.publicKey)}: audit verify reports key-reset at epoch ${r.epoch} until you pin this key beside the epoch-0 key (--pubkey, or a line of --pubkey-file) or pass --accept-reset ${r.epoch}`);
    }
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

export function registerRekey(parent: Command, app: App): void {
  const cmd = parent
    .command('rekey')
    .description('recover from a lost or replaced signing key: start a new key line (audit verify shows it as key-reset at epoch N)')
    .action(action(app, (ctx) => runRekey(ctx)));
  examples(cmd, ['agentsec --yes audit rekey >> /secure/elsewhere/audit.pub', 'agentsec audit verify --pubkey-file /secure/elsewhere/audit.pub']);
}
