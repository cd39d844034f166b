import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { fingerprint } from '../../core/audit/keys.js';
import { formatDuration } from '../../core/duration.js';
import { ExitCode } from '../../core/errors.js';
import { isoTime, openAuditStore } from './shared.js';

export async function runStatus(ctx: Ctx): Promise<number> {
  const store = await openAuditStore(ctx, { readonly: true });
  try {
    const { openAuditLog, auditSettings } = await import('../../services/audit.js');
    const log = await openAuditLog(ctx, store);
    const { epochMs } = await auditSettings(ctx);
    const s = await log.status();
    const pubkey = await log.publicKey();
    const now = ctx.clock().getTime();
    const age = s.last ? now - s.last.time : null;
    const doc = {
      origin: (await log.origin()) ?? null,
      entries: s.entries,
      checkpoints: s.checkpoints,
      currentEpoch: s.last ? s.last.epoch + 1 : 0,
      epochLength: formatDuration(epochMs),
      lastSeal: s.last ? isoTime(s.last.time) : null,
      lastSealAgeSeconds: age === null ? null : Math.floor(age / 1000),
      sealOverdue: age === null || age > 2 * epochMs,
      unsealed: s.unsealed,
      signingKeyPresent: s.signingKey?.ok === true,
      signingKey: s.signingKey === undefined ? null : s.signingKey.ok ? 'ok' : s.signingKey.reason,
      publicKey: pubkey ?? null,
      fingerprint: pubkey ? fingerprint(pubkey) : null,
    };
    if (ctx.out.json) ctx.out.document(doc);
    else
      ctx.out.pairs([
        ['origin', doc.origin],
        ['entries', doc.entries],
        ['checkpoints', doc.checkpoints],
        ['current epoch', `${doc.currentEpoch} (length ${doc.epochLength})`],
        ['last seal', doc.lastSeal ? `${doc.lastSeal} (${formatDuration(age ?? 0)} ago${doc.sealOverdue ? ', OVERDUE: run agentsec audit seal' : ''})` : 'never'],
        ['unsealed entries', doc.unsealed],
        ['signing key', s.signingKey === undefined ? 'none' : s.signingKey.ok ? 'present' : `${s.signingKey.reason.toUpperCase()}: ${s.signingKey.message}; the chain cannot be sealed: run agentsec audit rekey`],
        ['public key', doc.publicKey],
        ['fingerprint', doc.fingerprint],
      ]);
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

export function registerStatus(parent: Command, app: App): void {
  const cmd = parent
    .command('status')
    .description('show the chain size, epochs, last seal and public key fingerprint')
    .action(action(app, (ctx) => runStatus(ctx)));
  examples(cmd, ['agentsec audit status', 'agentsec audit status --json | jq .lastSealAgeSeconds']);
}
