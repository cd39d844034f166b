import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { PasswordPolicy, PolicyVerdict } from '../../core/passwords/policy.js';

/** Commander collector for the repeatable `--policy`. */
export function collectPolicy(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const POLICY_FLAG_HELP = 'relax or change the password policy: min-length=N, max-length=N (bytes), common=allow|refuse, off (repeatable)';

/** The policy in force for this command: defaults, config.yaml's `passwords:`, then `--policy`. */
export async function policyFor(ctx: Ctx, flags: readonly string[] | undefined): Promise<PasswordPolicy> {
  const { parsePolicyFlags, resolvePolicy } = await import('../../core/passwords/policy.js');
  const parsed = parsePolicyFlags(flags ?? []);
  if (!parsed.ok) throw usageError(`--policy: ${parsed.message}`);
  const p = resolvePolicy((await ctx.config()).passwords, parsed.overrides);
  if ('error' in p) throw usageError(`--policy: ${p.error}`);
  return p;
}

/**
 * Reports a refused password: one line per reason on stderr (never the password), or the verdict in `--json`.
 * Returns the exit code: 1, a negative verdict on the password, like a failed verification.
 */
export function reportRefusal(ctx: Ctx, verdict: Extract<PolicyVerdict, { ok: false }>, policy: PasswordPolicy, what: string): number {
  if (ctx.out.json) ctx.out.document({ accepted: false, violations: verdict.violations, policy });
  for (const v of verdict.violations) ctx.out.warn(`password refused: ${v.message}`);
  ctx.out.info(`${what}; choose a longer or less common password, or relax the policy with --policy (see agentsec password hash --help)`);
  return ExitCode.Negative;
}
