import type { Ctx } from '../../cli/context.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { EnvSyntaxError, parseEnv, type EnvDocument } from '../../core/secrets/env-file.js';
import type { SecretStatusRow } from '../../core/secrets/status.js';
import { describeReason } from '../../core/secrets/strength.js';
import { readSecretTarget, resolveSecretTarget, secretText } from '../../platform/secret-target.js';

function parseEnvOrThrow(text: string, file: string): EnvDocument {
  try {
    return parseEnv(text);
  } catch (err) {
    if (err instanceof EnvSyntaxError) throw usageError(`--dotenv ${file}: ${err.message}: fix it and retry`);
    throw err;
  }
}

/** The flags of `secret status`. */
export interface StatusFlags {
  readonly dotenv?: string;
  readonly maxAge?: string;
}

/** The body of `secret status` (see status.ts). */
export async function runStatusCommand(ctx: Ctx, flags: StatusFlags): Promise<number> {
  const maxAgeMs = parseDuration(flags.maxAge ?? '30d', '--max-age');
  const target = flags.dotenv !== undefined ? resolveSecretTarget(flags.dotenv, ctx.io.cwd, '--dotenv') : undefined;
  const doc = target ? parseEnvOrThrow(secretText(target, readSecretTarget(target)), target.given) : undefined;
  const { openSecrets, secretStatusRows } = await import('../../services/secrets.js');
  const secrets = await openSecrets(ctx);
  let rows: SecretStatusRow[];
  try {
    rows = await secretStatusRows(secrets, { maxAgeMs, ...(target && doc ? { only: { target, doc } } : {}) });
  } finally {
    await secrets.close();
  }
  const failing = rows.filter((r) => r.overdue || r.weak);
  if (ctx.out.json) {
    ctx.out.document({ maxAge: flags.maxAge ?? '30d', ok: failing.length === 0, secrets: rows });
  } else if (rows.length === 0) {
    ctx.out.info(target ? `no tracked or secret-looking names in ${target.given}` : 'no tracked secrets yet: rotate one with agentsec secret rotate');
  } else {
    ctx.out.table<SecretStatusRow>(
      [
        { header: 'NAME', value: (r) => r.name },
        { header: 'FILE', value: (r) => r.file },
        { header: 'AGE', value: (r) => (r.ageMs === null ? '-' : formatDuration(r.ageMs)) },
        { header: 'LAST ROTATED', value: (r) => r.lastRotatedAt ?? 'never' },
        { header: 'STATE', value: (r) => r.state, style: (t, r) => (r.weak || r.overdue ? ctx.out.chalk.red(t) : t) },
        {
          header: 'DETAIL',
          value: (r) =>
            [
              ...r.reasons.map(describeReason),
              ...(r.overdue && r.weak ? ['overdue'] : []),
              ...(r.changedOutsideAgentsec ? ['changed outside agentsec'] : []),
            ].join('; '),
        },
      ],
      rows,
    );
    if (failing.length > 0) ctx.out.warn(`${failing.length} secret(s) overdue or weak`);
  }
  return failing.length > 0 ? ExitCode.Negative : ExitCode.Ok;
}

