import * as fs from 'node:fs';
import type { Ctx } from '../../cli/context.js';
import { deriveSubkey } from '../../core/crypto/seal.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { EnvSyntaxError, getValue, parseEnv, type EnvDocument } from '../../core/secrets/env-file.js';
import { fingerprintSecret, FINGERPRINT_PURPOSE } from '../../core/secrets/fingerprint.js';
import { parseSecretFile } from '../../core/secrets/rotation.js';
import { secretStatus, type SecretStatusRow, type StatusInput } from '../../core/secrets/status.js';
import { describeReason, looksLikeSecretName } from '../../core/secrets/strength.js';
import { readSecretTarget, resolveSecretTarget } from '../../platform/secret-target.js';
import type { StatusFlags } from './status.js';
import { count } from '../../output/plural.js';

function parseEnvOrThrow(text: string, file: string): EnvDocument {
  try {
    return parseEnv(text);
  } catch (err) {
    if (err instanceof EnvSyntaxError) throw usageError(`--dotenv ${file}: ${err.message}: fix it and retry`);
    throw err;
  }
}

/** Current value of a tracked secret, read best-effort: a file that vanished or broke makes it `missing`. */
function currentValue(kind: 'env' | 'secret-file', file: string, name: string, cache: Map<string, EnvDocument | string | null>): string | undefined {
  if (!cache.has(file)) {
    let loaded: EnvDocument | string | null = null;
    try {
      const text = fs.readFileSync(file, 'utf8');
      loaded = kind === 'env' ? parseEnv(text) : parseSecretFile(text).value;
    } catch {
      loaded = null;
    }
    cache.set(file, loaded);
  }
  const doc = cache.get(file);
  if (doc === null || doc === undefined) return undefined;
  return typeof doc === 'string' ? doc : getValue(doc, name);
}

/** The body of `secret status` (see status.ts). */
export async function runStatusCommand(ctx: Ctx, flags: StatusFlags): Promise<number> {
  const maxAgeMs = parseDuration(flags.maxAge ?? '30d', '--max-age');
  const target = flags.dotenv !== undefined ? resolveSecretTarget(flags.dotenv, ctx.io.cwd, '--dotenv') : undefined;
  const doc = target ? parseEnvOrThrow(readSecretTarget(target, '--dotenv'), target.given) : undefined;
  const db = await ctx.openStore();
  let rows: SecretStatusRow[];
  try {
    const master = await ctx.masterKey();
    const key = deriveSubkey(master, FINGERPRINT_PURPOSE);
    master.fill(0);
    const { SecretsRepo } = await import('../../store/secrets-repo.js');
    const tracked = new SecretsRepo(db).tracked().filter((t) => !target || t.file === target.real);
    const cache = new Map<string, EnvDocument | string | null>();
    if (target && doc) cache.set(target.real, doc);
    const inputs: StatusInput[] = tracked.map((t) => ({
      file: t.file,
      name: t.name,
      kind: t.kind,
      lastRotatedAt: t.lastRotatedAt,
      storedFingerprint: t.fingerprint,
      value: currentValue(t.kind, t.file, t.name, cache),
    }));
    if (target && doc) {
      const seen = new Set(tracked.map((t) => t.name));
      for (const line of doc.lines) {
        if (line.kind !== 'entry' || seen.has(line.key) || !looksLikeSecretName(line.key)) continue;
        seen.add(line.key);
        inputs.push({ file: target.real, name: line.key, kind: 'env', lastRotatedAt: null, storedFingerprint: null, value: getValue(doc, line.key) });
      }
    }
    const now = ctx.clock();
    rows = inputs.map((i) => secretStatus(i, now, maxAgeMs, (v) => fingerprintSecret(key, v)));
  } finally {
    db.close();
  }
  const failing = rows.filter((r) => r.overdue || r.weak);
  if (ctx.out.json) {
    ctx.out.document({ maxAge: flags.maxAge ?? '30d', ok: failing.length === 0, secrets: rows });
  } else if (rows.length === 0) {
    ctx.out.info(target ? `no tracked or secret-looking names in ${target.given}` : 'no tracked secrets yet: rotate one with agentsec secret rotate');
  } else {
    ctx.out.table<SecretStatusRow>(
      [
        { header: 'NAME', value: (r) => r.name, keep: true },
        { header: 'FILE', value: (r) => r.file, wrap: true, min: 12 },
        { header: 'AGE', value: (r) => (r.ageMs === null ? '-' : formatDuration(r.ageMs)), keep: true },
        { header: 'LAST ROTATED', value: (r) => r.lastRotatedAt ?? 'never', drop: 1 },
        { header: 'STATE', value: (r) => r.state, style: (t, r) => (r.weak || r.overdue ? ctx.out.chalk.red(t) : t), keep: true },
        {
          header: 'DETAIL',
          wrap: true,
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
    if (failing.length > 0) ctx.out.warn(`${count(failing.length, 'secret')} overdue or weak`);
  }
  return failing.length > 0 ? ExitCode.Negative : ExitCode.Ok;
}

