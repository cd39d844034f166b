import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { ENCODINGS, generateSecret } from '../../core/secrets/generate.js';
import type { ReportedSecret, RotationOutcome } from '../../services/secrets.js';
import { parseBytesFlag, parseEncodingFlag } from './options.js';
import { choiceOption } from '../../cli/choice.js';
import { MAX_ACCESS_TTL_MS } from '../../core/jwt/algs.js';
import type { Tx } from '../../store/store.js';

export interface RotateFlags {
  readonly dotenv?: string;
  readonly secretFile?: string;
  readonly create?: boolean;
  readonly keepPrevious?: boolean;
  readonly grace?: string;
  readonly ifOlderThan?: string;
  readonly dryRun?: boolean;
  readonly then?: string;
  readonly bytes?: string;
  readonly encoding?: string;
  readonly jwtKey?: string;
}

export interface ThenResult {
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** Runs the reload command with the shell (without agentsec's secret inputs in its environment); its output goes to stderr so that stdout stays ours. */
export async function runThen(ctx: Ctx, command: string): Promise<ThenResult> {
  const [{ spawnSync }, { hookEnv }] = await Promise.all([import('node:child_process'), import('../../platform/child-env.js')]);
  const r = spawnSync('/bin/sh', ['-c', command], { cwd: ctx.io.cwd, env: hookEnv(ctx.env), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.stdout) ctx.io.stderr.write(r.stdout);
  if (r.stderr) ctx.io.stderr.write(r.stderr);
  return { command, exitCode: r.error ? 127 : r.status, signal: r.signal };
}

function describe(s: ReportedSecret, dryRun: boolean): string {
  const would = dryRun ? 'would be ' : '';
  const prev =
    s.previous === 'kept' ? `; previous value ${dryRun ? 'would be ' : ''}kept as ${s.previousName}`
    : s.previous === 'dropped' ? `; ${s.previousName} ${dryRun ? 'would be ' : ''}removed (grace period over)`
    : s.previous === 'removed' ? `; old ${s.previousName} ${dryRun ? 'would be ' : ''}removed`
    : '';
  const note = s.note && s.previous !== 'dropped' && s.action !== 'skipped' ? ` (${s.note})` : '';
  if (s.action === 'skipped') return `${s.name} not rotated: last rotated ${s.previouslyRotatedAt ?? 'never'}${prev}`;
  return `${s.name} ${would}${s.action}${prev}${note}`;
}

interface Rolled {
  readonly name: string;
  readonly kid: string;
  readonly retiring: string[];
  readonly until: string;
}

function report(ctx: Ctx, outcome: RotationOutcome, dryRun: boolean, then: ThenResult | { command: string; wouldRun: boolean } | null, rolled: Rolled | null): void {
  if (ctx.out.json) {
    ctx.out.document({ file: outcome.file, kind: outcome.kind, dryRun, changed: outcome.changed, written: outcome.written, secrets: outcome.secrets, then, ...(rolled ? { jwtKey: rolled } : {}) });
    return;
  }
  if (rolled) ctx.out.success(`external JWT issuer '${rolled.name}' now verifies the new secret (key ${rolled.kid}); the old one verifies until ${rolled.until}`);
  for (const w of outcome.warnings) ctx.out.warn(w);
  for (const s of outcome.secrets) {
    if (s.action === 'skipped' && s.previous !== 'dropped') ctx.out.info(describe(s, dryRun));
    else ctx.out.success(describe(s, dryRun));
  }
  if (!outcome.changed) ctx.out.info(`${outcome.file} unchanged`);
}

/**
 * `secret rotate`: fresh values in a `.env` file (NAME...) or a Docker secrets file, in place, under a lock,
 * atomically; records each rotation (fingerprint, never the value); then runs `--then` if something was written.
 */
export async function runRotate(ctx: Ctx, flags: RotateFlags, args: unknown[]): Promise<number> {
  // Loaded here, not at start-up: registering the command must stay cheap for every other command.
  const [{ isValidName }, { parseDuration }, { resolveSecretTarget }] = await Promise.all([
    import('../../core/secrets/env-file.js'),
    import('../../core/duration.js'),
    import('../../platform/secret-target.js'),
  ]);
  const names = (args[0] as string[] | undefined) ?? [];
  if ((flags.dotenv === undefined) === (flags.secretFile === undefined)) {
    // `secret rotate .env JWT_SECRET`: a file given where a NAME goes. Names are never paths, so say what was meant.
    const file = flags.dotenv === undefined && flags.secretFile === undefined ? names.find((n) => /[/.]/.test(n)) : undefined;
    throw usageError(file !== undefined ? `'${file}' is not a variable name: pass the file as --dotenv ${file} (or --secret-file ${file} for a Docker secret)` : 'pass exactly one of --dotenv FILE (with NAME...) or --secret-file FILE');
  }
  if (flags.dotenv !== undefined && names.length === 0) throw usageError('--dotenv needs at least one NAME to rotate');
  if (flags.secretFile !== undefined && names.length > 0) throw usageError('--secret-file takes no NAME: the file holds a single value');
  if (flags.secretFile !== undefined && flags.create) throw usageError('--create applies to --dotenv only');
  for (const n of names) if (!isValidName(n)) throw usageError(`'${n}' is not a valid variable name: use letters, digits and _, not starting with a digit`);
  const bytes = parseBytesFlag(flags.bytes, false);
  const encoding = parseEncodingFlag(flags.encoding);
  const graceMs = flags.grace !== undefined ? parseDuration(flags.grace, '--grace') : undefined;
  const graceFlagMs = graceMs;
  const ifOlderThanMs = flags.ifOlderThan !== undefined ? parseDuration(flags.ifOlderThan, '--if-older-than') : undefined;
  if (graceMs !== undefined && flags.keepPrevious === false) throw usageError('--grace has no effect with --no-keep-previous: drop one of them');
  if (flags.then !== undefined && flags.then.trim() === '') throw usageError('--then: the command is empty');
  const dryRun = flags.dryRun === true;
  if (flags.jwtKey !== undefined) {
    if (flags.dotenv === undefined || names.length !== 1) throw usageError('--jwt-key works with --dotenv and exactly one NAME: the variable holding that server\'s JWT secret');
  }
  const flag = flags.dotenv !== undefined ? '--dotenv' : '--secret-file';
  const target = resolveSecretTarget((flags.dotenv ?? flags.secretFile) as string, ctx.io.cwd, flag);

  const { openSecrets, rotateEnvFile, rotateSecretFile } = await import('../../services/secrets.js');
  const secrets = await openSecrets(ctx);
  let outcome: RotationOutcome;
  let rolled: { name: string; kid: string; retiring: string[]; until: string } | null = null;
  let sealKey: Buffer | null = null;
  try {
    let linked: ((tx: Tx, value: string) => Promise<void>) | undefined;
    if (flags.jwtKey !== undefined) {
      const jwt = await import('../../services/jwt.js');
      const name = jwt.checkIssuerName(flags.jwtKey, '--jwt-key');
      // Checked before the file is touched: a wrong name changes nothing.
      await jwt.externalSecretIssuer(secrets, name);
      sealKey = await jwt.jwtSealKey(ctx);
      const key = sealKey;
      // Both values verify until the grace ends, as both stay in the file: --grace, else the longest access-token life.
      const graceMs = flags.keepPrevious === false ? 0 : (graceFlagMs ?? MAX_ACCESS_TTL_MS);
      const now = ctx.clock();
      linked = async (tx, value) => {
        const r = await jwt.rollExternalSecret(tx, { random: ctx.random, sealKey: key, audit: secrets.audit }, name, Buffer.from(value, 'utf8'), now.getTime(), graceMs);
        rolled = { name, kid: r.kid, retiring: r.retiring, until: new Date(r.until).toISOString() };
      };
    }
    const run = {
      linked,
      audit: secrets.audit,
      target,
      opts: { create: flags.create === true, keepPrevious: flags.keepPrevious !== false, graceMs, ifOlderThanMs },
      dryRun,
      now: ctx.clock(),
      store: secrets.store,
      fingerprintKey: secrets.fingerprintKey,
      newSecret: () => generateSecret(bytes, encoding, ctx.random),
    };
    outcome = flags.dotenv !== undefined ? await rotateEnvFile(run, names) : await rotateSecretFile(run);
  } finally {
    sealKey?.fill(0);
    await secrets.close();
  }

  let then: ThenResult | { command: string; wouldRun: boolean } | null = null;
  if (flags.then !== undefined) then = outcome.written ? await runThen(ctx, flags.then) : { command: flags.then, wouldRun: dryRun && outcome.changed };
  report(ctx, outcome, dryRun, then, rolled);
  if (then && 'exitCode' in then && then.exitCode !== 0) {
    ctx.out.warn(`--then command failed (${then.signal ? `signal ${then.signal}` : `exit ${then.exitCode}`}); the rotation itself was written`);
    return ExitCode.Runtime;
  }
  if (then && 'exitCode' in then && !ctx.out.json) ctx.out.info('--then command exited 0');
  return ExitCode.Ok;
}

export function registerRotate(parent: Command, app: App): void {
  const cmd = parent
    .command('rotate')
    .description('write fresh values into a .env file or a Docker secrets file, in place, safely from cron')
    .argument('[names...]', 'variables to rotate in --dotenv')
    .option('--dotenv <file>', '.env file holding NAME=value lines')
    .option('--secret-file <file>', 'Docker secrets file holding only the value')
    .option('--create', 'add a NAME that is absent from --dotenv')
    .option('--no-keep-previous', 'do not keep the old value as NAME_PREVIOUS (FILE.previous)')
    .option('--grace <duration>', 'remove the previous value once this long has passed since the rotation (e.g. 24h)')
    .option('--if-older-than <duration>', `do nothing for secrets rotated more recently (e.g. 30d)`)
    .option('--dry-run', 'say what would change without changing anything')
    .option('--then <command>', 'shell command to run after a successful write (e.g. a reload)')
    .option('--jwt-key <name>', 'also roll the HS256 secret of this external JWT issuer (jwt keygen --external) in the keyring: both values verify until --grace ends (default 24h)')
    .option('--bytes <n>', 'random bytes per new value (at least 16)', '32')
    .addOption(choiceOption('--encoding <enc>', 'encoding of new values', ENCODINGS, { default: 'base64url' }))
    .action(action(app, runRotate));
  examples(cmd, [
    'agentsec secret rotate JWT_SECRET --dotenv /srv/agent/.env',
    "agentsec secret rotate JWT_SECRET --dotenv /srv/agent/.env --if-older-than 30d --then 'docker compose restart api'   # cron: 0 3 1 * *",
    'agentsec secret rotate JWT_SECRET --dotenv /srv/agent/.env --if-older-than 30d --grace 24h',
    'agentsec secret rotate --secret-file /srv/agent/secrets/db_password --dry-run',
    "agentsec secret rotate JWT_SECRET --dotenv /srv/agentmem/.env --jwt-key agentmem --grace 1h --then 'systemctl restart agentmem'",
  ]);
}

