import * as fs from 'node:fs';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { decodePublicKey, fingerprint } from '../../core/audit/keys.js';
import type { Problem, VerifyReport, VerifyState } from '../../core/audit/verify.js';
import { parseDuration } from '../../core/duration.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { ioError, readTextFile, writeFileAtomic } from '../../platform/fs.js';
import { isoTime, openAuditStore, parseIntArg } from './shared.js';
import { count } from '../../output/plural.js';
import { checkOutputPath } from '../../platform/named-paths.js';
import { progress } from '../../output/progress.js';

export interface VerifyOptions {
  readonly pubkey?: string;
  readonly pubkeyFile?: string;
  readonly jsonl?: string;
  readonly state?: string;
  readonly sinceEpoch?: string;
  readonly epoch?: string;
  readonly strict?: boolean;
}

type KeySource = '--pubkey' | '--pubkey-file' | 'store' | 'export';

function readState(path: string): VerifyState | undefined {
  if (!fs.existsSync(path)) return undefined;
  const text = readTextFile(path, 'state file');
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    throw usageError(`state file ${path} is not valid JSON: remove it to start over (that loses rollback protection)`);
  }
  const o = s as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || typeof o['origin'] !== 'string' || !Number.isSafeInteger(o['epoch']) || !Number.isSafeInteger(o['size']) || typeof o['head'] !== 'string' || !Number.isSafeInteger(o['time']) || typeof o['nextKey'] !== 'string') {
    throw usageError(`state file ${path} is not an agentsec audit state file`);
  }
  return o as unknown as VerifyState;
}

function explicitKey(opts: VerifyOptions): { key: string; source: KeySource } | undefined {
  if (opts.pubkey !== undefined && opts.pubkeyFile !== undefined) throw usageError('give --pubkey or --pubkey-file, not both');
  if (opts.pubkey !== undefined) {
    decodePublicKey(opts.pubkey, '--pubkey');
    return { key: opts.pubkey.trim(), source: '--pubkey' };
  }
  if (opts.pubkeyFile !== undefined) {
    const text = readTextFile(opts.pubkeyFile, 'public key file').trim();
    decodePublicKey(text, `--pubkey-file ${opts.pubkeyFile}`);
    return { key: text, source: '--pubkey-file' };
  }
  return undefined;
}

/** The progress line of a long verification (TTY only, after half a second, cleared at the end). */
function verifyProgress(ctx: Ctx, total?: number): { tick(): void; end(): void } {
  const bar = progress(ctx.io.stderr, { label: 'verifying', unit: 'entries', quiet: ctx.out.quiet, json: ctx.out.json });
  let n = 0;
  return {
    tick() {
      // The clock is read every 4096 entries, not every entry: hashing dominates, and should stay the only cost.
      if ((++n & 4095) === 0) bar.update(n, total);
    },
    end: () => bar.end(),
  };
}

/**
 * Verifies the chain in the store, or an export with --jsonl. Exit 0 verified, 1 tampered, 2 cannot verify.
 * "Incomplete" (the newest entries are hash-linked but not sealed yet, or --since-epoch skipped the oldest) is the
 * normal state between two seals: exit 0 with a warning, so a daily check from cron or a systemd timer does not fail
 * every time it runs between seals; --strict makes it exit 1 for those who seal before verifying. It is never 3,
 * which means that the verification itself could not run.
 */
export async function runVerify(ctx: Ctx, opts: VerifyOptions): Promise<number> {
  const { ChainVerifier } = await import('../../core/audit/verify.js');
  const sinceEpoch = opts.sinceEpoch !== undefined ? parseIntArg(opts.sinceEpoch, '--since-epoch') : undefined;
  const explicit = explicitKey(opts);
  if (opts.state) checkOutputPath(opts.state, '--state', ctx.io.cwd);
  const state = opts.state ? readState(opts.state) : undefined;
  const now = ctx.clock().getTime();
  let epochMs: number;
  if (opts.epoch !== undefined) epochMs = parseDuration(opts.epoch, '--epoch');
  else {
    const { auditSettings } = await import('../../audit/open.js');
    epochMs = fs.existsSync(ctx.paths.config) || !opts.jsonl ? (await auditSettings(ctx)).epochMs : 15 * 60_000;
  }

  let report: VerifyReport;
  let trusted: { key: string; source: KeySource };
  const badLines: Problem[] = [];
  if (opts.jsonl) {
    const { readExportHead, readExportEntries } = await import('./export-format.js');
    const cb = { bad: (lineNo: number, reason: string, seq?: number) => badLines.push({ kind: 'modified', ...(seq !== undefined ? { seq } : {}), detail: `export line ${lineNo}: ${reason}` }) };
    const { header, checkpoints } = await readExportHead(opts.jsonl, cb);
    trusted = explicit ?? { key: header.pubkey, source: 'export' };
    decodePublicKey(trusted.key, 'the export header public key');
    const verifier = new ChainVerifier({ trustedKey: trusted.key, epochMs, now, ...(state ? { state } : {}), ...((sinceEpoch ?? header.sinceEpoch) > 0 ? { sinceEpoch: sinceEpoch ?? header.sinceEpoch } : {}) });
    verifier.checkpoints(checkpoints);
    const bar = verifyProgress(ctx);
    try {
      for await (const [seq, hash, canon] of readExportEntries(opts.jsonl, cb)) {
        verifier.entry(seq, hash, canon);
        bar.tick();
      }
    } finally {
      bar.end();
    }
    report = verifier.finish();
  } else {
    const db = await openAuditStore(ctx, { readonly: true });
    try {
      const { AuditRepo } = await import('../../store/audit-repo.js');
      const { MetaRepo } = await import('../../store/meta-repo.js');
      const stored = new MetaRepo(db).get('audit.pubkey');
      if (!explicit && !stored) throw new AgentsecError('no audit public key in the store and none given: pass --pubkey with the key printed by agentsec init', ExitCode.Usage);
      trusted = explicit ?? { key: stored as string, source: 'store' };
      if (explicit && stored && stored !== explicit.key) ctx.out.warn(`the public key recorded in the store (${fingerprint(stored)}) differs from ${explicit.source}`);
      const repo = new AuditRepo(db);
      const verifier = new ChainVerifier({ trustedKey: trusted.key, epochMs, now, ...(state ? { state } : {}), ...(sinceEpoch ? { sinceEpoch } : {}) });
      verifier.checkpoints(repo.checkpoints());
      const bar = verifyProgress(ctx, repo.count());
      try {
        for (const [seq, hash, canon] of repo.iterateEntries(verifier.firstPosition)) {
          verifier.entry(seq, hash, canon);
          bar.tick();
        }
      } finally {
        bar.end();
      }
      report = verifier.finish();
    } finally {
      db.close();
    }
  }
  // A top-level copy that disagrees with a canon the chain already reports as modified says nothing more: once.
  const located = new Set(report.problems.map((p) => p.seq).filter((s) => s !== undefined));
  const problems = [...badLines.filter((p) => p.seq === undefined || !located.has(p.seq)), ...report.problems];
  const tampered = problems.length > 0 || report.moreProblems > 0;
  const verdict = tampered ? 'tampered' : report.incomplete.length > 0 ? 'incomplete' : 'verified';
  if (trusted.source === 'store' || trusted.source === 'export') {
    ctx.out.warn(`the trusted public key was read from the ${trusted.source === 'store' ? 'audited host' : 'export itself'}, which proves less: pass --pubkey with the key printed by agentsec init`);
  }
  if (opts.state && report.state && !tampered) {
    try {
      writeFileAtomic(opts.state, `${JSON.stringify(report.state)}\n`);
    } catch (err) {
      throw err instanceof AgentsecError ? err : ioError(err, opts.state, 'write');
    }
  }
  render(ctx, { verdict, report, problems, trusted });
  if (tampered) return ExitCode.Negative;
  if (report.incomplete.length > 0) {
    if (!ctx.out.json) ctx.out.warn(`verified, but incomplete: ${opts.strict ? 'exit 1 under --strict' : 'exit 0 (--strict makes this exit 1)'}`);
    return opts.strict ? ExitCode.Negative : ExitCode.Ok;
  }
  return ExitCode.Ok;
}

function render(ctx: Ctx, r: { verdict: string; report: VerifyReport; problems: Problem[]; trusted: { key: string; source: KeySource } }): void {
  const { report } = r;
  if (ctx.out.json) {
    ctx.out.document({
      verdict: r.verdict,
      ok: r.verdict === 'verified',
      problems: r.problems,
      moreProblems: report.moreProblems,
      entries: report.entries,
      checkedEntries: report.checkedEntries,
      sealed: report.sealed,
      unsealed: report.unsealed,
      checkpoints: report.checkpoints,
      lastCheckpoint: report.lastCheckpoint ? { ...report.lastCheckpoint, time: isoTime(report.lastCheckpoint.time) } : null,
      origin: report.origin,
      incomplete: report.incomplete,
      trustedKey: { fingerprint: fingerprint(r.trusted.key), source: r.trusted.source },
    });
    return;
  }
  const c = ctx.out.chalk;
  const verdictText = r.verdict === 'verified' ? c.green('verified') : r.verdict === 'tampered' ? c.red.bold('TAMPERED') : c.yellow('verified, incomplete');
  if (r.problems.length > 0) {
    ctx.out.table(
      [
        { header: 'KIND', value: (p: Problem) => p.kind, style: (t: string) => c.red(t), keep: true },
        { header: 'WHERE', value: (p: Problem) => [p.seq !== undefined ? `seq ${p.seq}${p.toSeq !== undefined ? `..${p.toSeq}` : ''}` : '', p.epoch !== undefined ? `epoch ${p.epoch}` : ''].filter(Boolean).join(' ') },
        { header: 'DETAIL', value: (p: Problem) => p.detail, wrap: true, min: 20 },
      ],
      r.problems,
    );
    if (report.moreProblems > 0) ctx.out.info(`… and ${count(report.moreProblems, 'more problem')}`);
  }
  const last = report.lastCheckpoint;
  ctx.io.stderr.write(
    [
      `audit chain ${verdictText}${report.origin ? ` (${report.origin})` : ''}: ${count(report.entries, 'entry')}, ${report.sealed} sealed by ${count(report.checkpoints, 'checkpoint')}${last ? ` (last ${isoTime(last.time)})` : ''}, ${report.unsealed} not yet sealed`,
      ...report.incomplete.map((i) => `  incomplete: ${i}`),
      `  trusted key ${fingerprint(r.trusted.key)} (${r.trusted.source})`,
    ].join('\n') + '\n',
  );
}

export function registerVerify(parent: Command, app: App): void {
  const cmd = parent
    .command('verify')
    .description('verify the audit chain: find and locate any modification, deletion, insertion, reordering or truncation')
    .option('--pubkey <key>', 'the epoch-0 public key printed by agentsec init (ed25519:…)')
    .option('--pubkey-file <file>', 'read the public key from a file')
    .option('--jsonl <file>', 'verify an export (agentsec audit export) instead of the store')
    .option('--state <file>', 'remember the newest verified checkpoint here and report a rollback below it')
    .option('--since-epoch <n>', 'check entries from epoch N on (checkpoint signatures are always all checked)')
    .option('--epoch <duration>', 'epoch length for the clock rule (default: audit.epoch from config.yaml, else 15m)')
    .option('--strict', 'exit 1 (not 0) when the verification is incomplete: the newest entries are not sealed yet, or --since-epoch skipped some')
    .action(action(app, (ctx, opts: VerifyOptions) => runVerify(ctx, opts)));
  examples(cmd, [
    'agentsec audit verify --pubkey ed25519:mO2n…',
    'agentsec audit verify --pubkey-file /etc/agentsec/audit.pub --state /var/lib/agentsec-verify.json --strict',
    'agentsec audit export --output audit.jsonl && agentsec audit verify --jsonl audit.jsonl --pubkey-file audit.pub',
  ]);
}
