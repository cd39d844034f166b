import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { publicView } from '../../core/apikeys/record.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

export interface RotateOptions {
  grace?: string;
  name?: string;
  dotenv?: string;
  var?: string;
  secretFile?: string;
  create?: boolean;
  ifOlderThan?: string;
  then?: string;
  showKey?: boolean;
}

export const DEFAULT_GRACE = '24h';

function graceText(graceMs: number, expiresAt: number | null, now: number): string {
  return graceMs > 0 ? `works until ${new Date(expiresAt ?? now).toISOString()} (${formatDuration(graceMs)} grace)` : 'no longer works';
}

/**
 * Issues a replacement key and lets the old one expire after the grace period. Without a file the new key is
 * printed once; with --dotenv/--secret-file it is written there instead and printed only with --show-key.
 */
export async function runRotate(ctx: Ctx, opts: RotateOptions, args: unknown[]): Promise<number> {
  const id = args[0] === undefined ? undefined : String(args[0]);
  if ((id === undefined) === (opts.name === undefined)) throw usageError(id === undefined ? 'pass the key id or --name NAME' : 'pass either the key id or --name, not both');
  if (opts.dotenv !== undefined && opts.secretFile !== undefined) throw usageError('pass one of --dotenv FILE --var NAME or --secret-file FILE');
  if ((opts.dotenv === undefined) !== (opts.var === undefined)) throw usageError(opts.var === undefined ? '--dotenv needs --var NAME: the variable that holds the key' : '--var applies to --dotenv only');
  if (opts.create && opts.dotenv === undefined) throw usageError('--create applies to --dotenv only');
  if (opts.showKey && opts.dotenv === undefined && opts.secretFile === undefined) throw usageError('--show-key applies with --dotenv or --secret-file (without a file the key is always printed)');
  if (opts.then !== undefined && opts.then.trim() === '') throw usageError('--then: the command is empty');
  const graceMs = parseDuration(opts.grace ?? DEFAULT_GRACE, '--grace');
  const ifOlderThanMs = opts.ifOlderThan === undefined ? undefined : parseDuration(opts.ifOlderThan, '--if-older-than');
  const fileGiven = opts.dotenv ?? opts.secretFile;
  let file: import('../../services/keys/file-rotation.js').KeyFile | undefined;
  if (fileGiven !== undefined) {
    const [{ isValidName }, { resolveSecretTarget }] = await Promise.all([import('../../core/secrets/env-file.js'), import('../../platform/secret-target.js')]);
    if (opts.var !== undefined && !isValidName(opts.var)) throw usageError(`--var: '${opts.var.slice(0, 64)}' is not a valid variable name: use letters, digits and _, not starting with a digit`);
    const target = resolveSecretTarget(fileGiven, ctx.io.cwd, opts.dotenv !== undefined ? '--dotenv' : '--secret-file');
    file = opts.dotenv !== undefined ? { kind: 'env', target, variable: opts.var as string, create: opts.create === true } : { kind: 'secret-file', target };
  }

  const { openKeys, rotateKey, getKey, keyByName } = await import('../../services/keys.js');
  const keys = await openKeys(ctx, { fingerprint: file !== undefined });
  const find = () => (id !== undefined ? getKey(keys, id) : keyByName(keys, opts.name as string));
  let written: { key: string; file: string; name: string; fingerprint: string } | undefined;
  try {
    const now = ctx.clock().getTime();
    if (file === undefined) {
      const old0 = await find();
      if (ifOlderThanMs !== undefined && now - old0.createdAt < ifOlderThanMs) {
        return skipped(ctx, old0.id, `issued or rotated ${new Date(old0.createdAt).toISOString()}, less than --if-older-than ago`, publicView(old0, now));
      }
      const { key, record, old } = await rotateKey(keys, old0.id, graceMs);
      if (ctx.out.json) ctx.out.document({ key, ...publicView(record, now), old: publicView(old, now) });
      else ctx.out.line(key);
      ctx.out.success(`rotated ${old.id} to ${record.id}; the old key ${graceText(graceMs, old.expiresAt, now)}`);
    } else {
      const { rotateKeyIntoFile } = await import('../../services/keys/file-rotation.js');
      const r = await rotateKeyIntoFile({ keys, fingerprintKey: keys.fingerprintKey, find, graceMs, ifOlderThanMs, file });
      if (!r.rotated) return skipped(ctx, r.old.id, r.reason, publicView(r.old, now));
      const { record, old, key } = r.issued;
      written = { key, file: r.file, name: r.name, fingerprint: r.fingerprint };
      for (const w of r.warnings) ctx.out.warn(w);
      if (ctx.out.json) ctx.out.document({ ...(opts.showKey ? { key } : {}), ...publicView(record, now), old: publicView(old, now), file: { path: r.file, name: r.name, fingerprint: r.fingerprint } });
      else if (opts.showKey) ctx.out.line(key);
      ctx.out.success(`rotated ${old.id} to ${record.id} and wrote it to ${r.name} in ${r.file}; the old key ${graceText(graceMs, old.expiresAt, now)}`);
    }
  } finally {
    await keys.close();
  }
  if (opts.then !== undefined) {
    const { runThen } = await import('../secret/rotate.js');
    const then = await runThen(ctx, opts.then);
    if (then.exitCode !== 0) {
      ctx.out.warn(`--then command failed (${then.signal ? `signal ${then.signal}` : `exit ${then.exitCode}`}); the rotation itself was ${written ? 'written' : 'done'}`);
      return ExitCode.Runtime;
    }
    ctx.out.info('--then command exited 0');
  }
  return ExitCode.Ok;
}

/** --if-older-than found the key recent: nothing changed, which is success for cron. */
function skipped(ctx: Ctx, id: string, why: string, view: Record<string, unknown>): number {
  if (ctx.out.json) ctx.out.document({ rotated: false, reason: why, old: view });
  ctx.out.info(`${id} not rotated: ${why}`);
  return ExitCode.Ok;
}

export function registerRotate(parent: Command, app: App): void {
  const cmd = parent
    .command('rotate')
    .description('issue a replacement key with the same name, role, scopes and allowlist; the old one expires after --grace; optionally write it into a config file')
    .argument('[id]', 'key id (key_…); or --name')
    .option('--name <name>', 'the one active key of this name (for cron)')
    .option('--grace <duration>', `how long the old key keeps working (default ${DEFAULT_GRACE}; 0s ends it now)`)
    .option('--dotenv <file>', 'write the new key into this .env file (with --var), atomically, under its lock')
    .option('--var <name>', 'the variable of --dotenv that holds the key (e.g. MEM0_API_KEY)')
    .option('--secret-file <file>', 'write the new key into this Docker secrets file (the value alone)')
    .option('--create', 'add --var to --dotenv when it is absent')
    .option('--if-older-than <duration>', 'do nothing when the key was issued or rotated more recently (e.g. 30d)')
    .option('--then <command>', 'shell command to run after a successful rotation (e.g. a reload)')
    .option('--show-key', 'also print the new key on stdout when writing it into a file')
    .action(action(app, runRotate));
  completesArgs(cmd, dynamic('key-ids'));
  examples(cmd, [
    'agentsec keys rotate key_8f3kQ2mZ9xLp4Rt1',
    'agentsec keys rotate key_8f3kQ2mZ9xLp4Rt1 --grace 1h --json | jq -r .key',
    "agentsec keys rotate --name mem0 --dotenv /srv/agent/.env --var MEM0_API_KEY --if-older-than 30d --then 'docker compose restart agent'   # cron",
    'agentsec keys rotate --name metrics --secret-file /srv/agent/secrets/metrics_key',
  ]);
}
