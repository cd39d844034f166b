import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { fingerprint } from '../../core/audit/keys.js';
import { ExitCode } from '../../core/errors.js';
import { cliActor } from '../../platform/actor.js';
import { assertPrivate, ensurePrivateDir, touchPrivate } from '../../platform/fs.js';
import { createMasterKey, masterKeyMode, PASSPHRASE_ENV } from '../../platform/master-key.js';

export interface InitResult {
  readonly home: string;
  readonly store: string;
  readonly storeSchemaVersion: number;
  readonly masterKey: 'key-file' | 'passphrase';
  /** The audit chain's epoch-0 public key: keep a copy off this host for `audit verify --pubkey`. */
  readonly auditPublicKey: string;
  readonly auditFingerprint: string;
  /** What this run created or changed; empty when the home was already initialised. */
  readonly changed: string[];
}

/**
 * Creates the home (0700), the master key (or passphrase salt) and the store. Idempotent: a second run changes
 * nothing and says so. Refuses a home or key file that others can read or write.
 */
export async function runInit(ctx: Ctx): Promise<number> {
  const { paths } = ctx;
  const changed: string[] = [];
  if (ensurePrivateDir(paths.home)) changed.push(`created home ${paths.home}`);
  for (const f of [paths.masterKey, paths.masterSalt, paths.db]) assertPrivate(f, 'file');

  let mode = masterKeyMode(paths);
  const passphrase = ctx.env[PASSPHRASE_ENV];
  if (mode === undefined) {
    mode = await createMasterKey(paths, passphrase || undefined, ctx.random);
    changed.push(mode === 'key-file' ? `created master key ${paths.masterKey}` : `derived master key from ${PASSPHRASE_ENV} (salt in ${paths.masterSalt})`);
  } else if (mode === 'key-file' && passphrase) {
    ctx.out.warn(`${PASSPHRASE_ENV} is ignored: this home already uses ${paths.masterKey}`);
  } else if (mode === 'passphrase') {
    // Proves the passphrase is right before anything else depends on it.
    (await ctx.masterKey()).fill(0);
  }

  const target = await ctx.storeTarget();
  if (target.backend === 'sqlite' && touchPrivate(paths.db)) changed.push(`created store ${paths.db}`);
  const store = await ctx.store();
  let version: number;
  let auditKey: string;
  try {
    const m = store.migration;
    if (m.to !== m.from) changed.push(`migrated store schema ${m.from} -> ${m.to}`);
    if (await store.meta.setIfAbsent('created_at', ctx.clock().toISOString())) changed.push('recorded store creation time');
    const { openAuditLog, auditSettings } = await import('../../services/audit.js');
    const audit = await openAuditLog(ctx, store);
    const chain = await audit.init((await auditSettings(ctx)).origin, cliActor());
    auditKey = chain.publicKey;
    if (chain.created) changed.push('created the audit chain and sealed checkpoint 0');
    version = await store.schemaVersion();
  } finally {
    await store.close();
  }

  const result: InitResult = { home: paths.home, store: store.location, storeSchemaVersion: version, masterKey: mode, auditPublicKey: auditKey, auditFingerprint: fingerprint(auditKey), changed };
  if (ctx.out.json) {
    ctx.out.document({ ...result, initialized: changed.length > 0 });
  } else {
    if (changed.length === 0) ctx.out.info(`already initialised at ${paths.home}; nothing changed`);
    else for (const c of changed) ctx.out.success(c);
    // The key goes to stdout on every run, not only the first: `agentsec init --quiet > audit.pub` run twice must
    // leave the same file, never an empty one.
    ctx.out.info('audit public key — keep a copy off this host, for agentsec audit verify --pubkey:');
    ctx.out.line(auditKey);
    ctx.out.info(`fingerprint ${result.auditFingerprint}`);
  }
  return ExitCode.Ok;
}

export function registerInit(program: Command, app: App): void {
  const cmd = program
    .command('init')
    .description('create the agentsec home (0700), master key and store; safe to run again')
    .action(action(app, (ctx) => runInit(ctx)));
  examples(cmd, ['agentsec init', 'AGENTSEC_PASSPHRASE="$(cat /run/secrets/agentsec)" agentsec init', 'agentsec --home /srv/agentsec init --json']);
}
