import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import type { PromptFn } from '../../platform/password-input.js';

/** `secret check`: judges a value read from stdin (or a masked prompt); exit 1 when weak. Never echoes it. */
export async function runCheck(ctx: Ctx, _opts: object, _args: unknown[] = [], prompt?: PromptFn): Promise<number> {
  const [{ assessSecret, describeReason }, { readSecretInput }] = await Promise.all([import('../../core/secrets/strength.js'), import('../../platform/password-input.js')]);
  const value = await readSecretInput(ctx.io, { what: 'secret', confirm: false, ...(prompt ? { prompt } : {}) });
  const r = assessSecret(value);
  if (ctx.out.json) {
    ctx.out.document({ ...r });
  } else {
    ctx.out.pairs([
      ['length', r.length],
      ['entropy', `~${Math.round(r.entropyBits)} bits (estimate)`],
      ['known default', r.knownDefault ? 'yes' : 'no'],
      ['verdict', r.weak ? `weak: ${r.reasons.map(describeReason).join(', ')}` : 'ok'],
    ]);
  }
  return r.weak ? ExitCode.Negative : ExitCode.Ok;
}

export function registerCheck(parent: Command, app: App): void {
  const cmd = parent
    .command('check')
    .description('judge a secret read from stdin: length, estimated entropy, known defaults; exit 1 if weak')
    .action(action(app, runCheck));
  examples(cmd, ['printf %s "$JWT_SECRET" | agentsec secret check', 'agentsec secret generate | agentsec secret check --json']);
}
