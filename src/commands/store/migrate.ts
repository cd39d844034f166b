import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { fingerprint } from '../../core/audit/keys.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { existsSync } from 'node:fs';

export interface MigrateOptions {
  readonly to?: string;
}

/**
 * Copies this home's SQLite store into PostgreSQL, then checks the copy: every table holds at least the source's
 * rows, and the copied audit chain has the source's head and verifies against the source's public key. Run it again
 * at any time: it copies only what is missing. The home keeps its SQLite file; point it at the database with
 * `store:` in config.yaml once the copy verifies.
 */
export async function runStoreMigrate(ctx: Ctx, opts: MigrateOptions): Promise<number> {
  if (!opts.to) throw usageError('store migrate needs --to postgres://user@host/db (the password from PGPASSWORD or a passfile)');
  if (!/^postgres(ql)?:\/\//i.test(opts.to)) throw usageError('--to: expected a postgres:// URL');
  const { storeConfigSchema } = await import('../../core/config/store.js');
  const parsed = storeConfigSchema.safeParse(opts.to);
  if (!parsed.success) throw usageError(`--to: ${parsed.error.issues[0]?.message ?? 'not a postgres:// URL'}`);
  if (!existsSync(ctx.paths.db)) throw usageError(`no SQLite store in ${ctx.paths.home} to copy: run agentsec init first, or pass --home`);
  const config = await ctx.config();
  const { hostOrigin } = await import('../../services/audit/origin.js');
  const allowPlaintext = typeof config.store === 'object' && config.store.allowPlaintext === true;
  const target = { backend: 'postgres' as const, url: opts.to, allowPlaintext, origin: hostOrigin(config), source: '--to' };
  const { copySqliteStoreTo, openStore, openStoreTarget } = await import('../../store/open.js');
  const result = await copySqliteStoreTo(ctx.paths.db, target, ctx.env, (t) => ctx.out.info(`${t.table}: ${t.copied} copied, ${t.destination} there of ${t.source}`));

  // The audit verify of the copy, against the key the source store recorded (its own epoch-0 key).
  const source = await openStore(ctx.paths.db, { readonly: true, migrate: false });
  const pubkey = await source.meta.get('audit.pubkey');
  await source.close();
  let verdict = 'no audit chain';
  const problems: string[] = [];
  for (const t of result.tables) if (t.destination < t.source) problems.push(`${t.table}: ${t.destination} rows in the destination, ${t.source} in the source`);
  if (result.head.source !== result.head.destination) problems.push('the copied audit chain does not end where the source does');
  if (pubkey) {
    const dest = await openStoreTarget({ ...target, origin: result.origin }, ctx.env, { readonly: true, migrate: false });
    try {
      const { auditSettings } = await import('../../services/audit.js');
      const { ChainVerifier } = await import('../../core/audit/verify.js');
      const verifier = new ChainVerifier({ epochMs: (await auditSettings(ctx)).epochMs, now: ctx.clock().getTime(), acceptResets: [], trustedKeys: [pubkey] });
      await dest.snapshot(async (view) => {
        verifier.checkpoints(await view.audit.checkpoints());
        for await (const batch of view.audit.entries(verifier.firstPosition)) for (const [seq, hash, canon] of batch) verifier.entry(seq, hash, canon);
      });
      const report = verifier.finish();
      const tampered = report.problems.length > 0 || report.moreProblems > 0;
      verdict = tampered ? 'tampered' : report.incomplete.length > 0 ? 'incomplete' : 'verified';
      for (const p of report.problems) problems.push(`audit chain: ${p.kind}: ${p.detail}`);
    } finally {
      await dest.close();
    }
  }
  const doc = { to: opts.to, origin: result.origin, tables: result.tables, auditVerify: verdict, auditKey: pubkey ? fingerprint(pubkey) : null, ok: problems.length === 0, problems };
  if (ctx.out.json) ctx.out.document(doc);
  else {
    ctx.out.table(
      [
        { header: 'TABLE', value: (t: (typeof result.tables)[number]) => t.table, keep: true },
        { header: 'SOURCE', value: (t: (typeof result.tables)[number]) => String(t.source) },
        { header: 'COPIED', value: (t: (typeof result.tables)[number]) => String(t.copied) },
        { header: 'THERE', value: (t: (typeof result.tables)[number]) => String(t.destination) },
      ],
      result.tables,
    );
    if (problems.length === 0) ctx.out.success(`copied into ${opts.to} as origin ${result.origin}; audit chain ${verdict}. Point this home at it with store: in config.yaml`);
  }
  if (problems.length > 0) throw new AgentsecError(`the copy did not verify: ${problems.join('; ')}`, ExitCode.Negative);
  return ExitCode.Ok;
}

export function registerStoreMigrate(parent: Command, app: App): void {
  const cmd = parent
    .command('migrate')
    .description("copy this home's SQLite store into PostgreSQL (idempotent, resumable), then verify the copy by counts and an audit verify")
    .option('--to <url>', 'the PostgreSQL database: postgres://user@host/db?sslmode=verify-full (no password: PGPASSWORD or a passfile)')
    .action(action(app, (ctx, opts: MigrateOptions) => runStoreMigrate(ctx, opts)));
  examples(cmd, ['agentsec store migrate --to postgres://agentsec@db.internal/agentsec', 'PGPASSFILE=/etc/agentsec/pgpass agentsec store migrate --to "$URL" --json']);
}
