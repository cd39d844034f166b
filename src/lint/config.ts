import { z } from 'zod';
import { usageError } from '../core/errors.js';
import { PROFILE_NAMES } from './profiles.js';
import { metaById } from './registry.js';
import { SEVERITIES } from './types.js';

const ruleSetting = z.enum(['off', 'on', ...SEVERITIES]);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** `.agentsec.yaml`: profile, per-rule switches and severities, ignored paths, suppressions with a reason and an expiry. */
export const lintConfigSchema = z
  .object({
    profile: z.enum(PROFILE_NAMES).optional(),
    failOn: z.enum(['critical', 'high', 'medium', 'low']).optional(),
    rules: z.record(z.string(), ruleSetting).optional(),
    ignore: z.array(z.string().min(1)).optional(),
    suppressions: z
      .array(
        z
          .object({
            rule: z.string(),
            paths: z.array(z.string().min(1)).optional(),
            path: z.string().min(1).optional(),
            reason: z.string().trim().min(1, 'a suppression needs a reason'),
            expires: z.union([date, z.date()]).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type LintConfig = z.infer<typeof lintConfigSchema>;

/**
 * Validates a parsed `.agentsec.yaml`. Unknown keys and unknown rule ids are refused (exit 2), so a typo never
 * silently leaves a rule on or a finding unsuppressed.
 */
export function validateLintConfig(data: unknown, where: string): LintConfig {
  const parsed = lintConfigSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'top level';
    throw usageError(`${where}: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  const cfg = parsed.data;
  for (const id of Object.keys(cfg.rules ?? {})) {
    const meta = metaById(id);
    if (!meta || meta.id.endsWith('/parse-error')) throw usageError(`${where}: rules.${id}: unknown rule id (see agentsec lint rules)`);
  }
  for (const [i, s] of (cfg.suppressions ?? []).entries()) {
    if (!metaById(s.rule)) throw usageError(`${where}: suppressions.${i}.rule: unknown rule id '${s.rule}' (see agentsec lint rules)`);
  }
  return cfg;
}

/** Normalises a YAML date (which the yaml library may hand over as a Date) to YYYY-MM-DD. */
export function isoDay(d: string | Date): string {
  return typeof d === 'string' ? d : d.toISOString().slice(0, 10);
}
