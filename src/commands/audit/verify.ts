import * as fs from 'node:fs';
import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { decodePublicKey, fingerprint } from '../../core/audit/keys.js';
import type { KeyReset, Problem, VerifyReport, VerifyState } from '../../core/audit/verify-types.js';
import { parseDuration } from '../../core/duration.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { ioError, readTextFile, writeFileAtomic } from '../../platform/fs.js';
import { collect, isoTime, openAuditStore, parseIntArg } from './shared.js';
import { count } from '../../output/plural.js';
import { TOP_LEVEL_MISMATCH } from './export-format.js';
import { checkOutputPath } from '../../platform/named-paths.js';
import { progress } from '../../output/progress.js';

export interface VerifyOptions {
  readonly pubkey?: string[];
  readonly pubkeyFile?: string;
  readonly acceptReset?: string[];
  readonly jsonl?: string;
  readonly state?: string;
  readonly sinceEpoch?: string;
  readonly epoch?: string;
  readonly clockSkew?: string;
  readonly strict?: boolean;
  readonly origin?: string;
  readonly all?: boolean;
}

type KeySource = '--pubkey' | '--pubkey-file' | 'store' | 'export' | 'none';

interface Trusted {
  readonly keys: readonly string[];
  readonly source: KeySource;
}

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

/**
 * The pinned keys: `--pubkey` (repeatable) or `--pubkey-file` (one key per line, # comments allowed). The epoch-0 key
 * comes first in practice; a key printed by `audit rekey` pins the reset it started.
 */
function explicitKeys(opts: VerifyOptions): Trusted | undefined {
  const flags = opts.pubkey ?? [];
  if (flags.length > 0 && opts.pubkeyFile !== undefined) throw usageError('give --pubkey or --pubkey-file, not both');
  if (flags.length > 0) return { keys: flags.map((k) => (decodePublicKey(k, '--pubkey'), k.trim())), source: '--pubkey' };
  if (opts.pubkeyFile !== undefined) {
    const file = opts.pubkeyFile;
    const lines = readTextFile(file, 'public key file')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) throw usageError(`--pubkey-file ${file} holds no key: expected ed25519:<base64 of 32 bytes>, one per line`);
    lines.forEach((k, i) => decodePublicKey(k, `--pubkey-file ${file}${lines.length > 1 ? ` (key ${i + 1})` : ''}`));
    return { keys: lines, source: '--pubkey-file' };
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
 * every time it runs between seals; --strict makes it exit 1 for those who seal before verifying. It is 3 (the
 * verification ran but this host cannot keep the chain sealed) only when the host's signing key is missing or does
 * not match the chain: that is a failure to fix, never the quiet normal case.
 */
export async function runVerify(ctx: Ctx, opts: VerifyOptions): Promise<number> {
  const sinceEpoch = opts.sinceEpoch !== undefined ? parseIntArg(opts.sinceEpoch, '--since-epoch') : undefined;
  const acceptResets = (opts.acceptReset ?? []).map((n) => parseIntArg(n, '--accept-reset'));
  const clockSkewMs = opts.clockSkew !== undefined ? parseDuration(opts.clockSkew, '--clock-skew') : undefined;
  // --origin and --all read their own pins (`origin key` lines): see verify-fleet.ts.
  const explicit = opts.all === true || opts.origin !== undefined ? undefined : explicitKeys(opts);
  if (opts.state) checkOutputPath(opts.state, '--state', ctx.io.cwd);
  const state = opts.state ? readState(opts.state) : undefined;
  const now = ctx.clock().getTime();
  let epochMs: number;
  if (opts.epoch !== undefined) epochMs = parseDuration(opts.epoch, '--epoch');
  else {
    const { auditSettings } = await import('../../services/audit.js');
    epochMs = fs.existsSync(ctx.paths.config) || !opts.jsonl ? (await auditSettings(ctx)).epochMs : 15 * 60_000;
  }
  const common = { epochMs, now, acceptResets, ...(clockSkewMs !== undefined ? { clockSkewMs } : {}), ...(state ? { state } : {}), ...(sinceEpoch ? { sinceEpoch } : {}) };
  if (opts.all === true || opts.origin !== undefined) {
    if (opts.jsonl !== undefined || opts.state !== undefined) throw usageError('--origin and --all verify the store: they do not combine with --jsonl or --state');
    const { runFleetVerify } = await import('./verify-fleet.js');
    return runFleetVerify(ctx, opts, common);
  }

  let report: VerifyReport;
  let trusted: Trusted;
  const extraProblems: Problem[] = [];
  const hostNotes: string[] = [];
  if (opts.jsonl) {
    const { verifyExport } = await import('./verify-export.js');
    const v = await verifyExport(opts.jsonl, { keys: explicit?.keys, verify: common });
    report = v.report;
    extraProblems.push(...v.lineProblems);
    trusted = explicit ?? (v.headerKey ? { keys: [v.headerKey], source: 'export' } : { keys: [], source: 'none' });
    if (explicit && v.headerKey && !explicit.keys.includes(v.headerKey)) ctx.out.warn(`the public key named in the export's header (${fingerprint(v.headerKey)}) differs from ${explicit.source}`);
    if (v.headerSinceEpoch !== undefined && v.headerSinceEpoch > 0 && sinceEpoch === undefined) {
      ctx.out.warn(`the export's header says it starts at epoch ${v.headerSinceEpoch}; the header is not signed, so that narrows nothing: pass --since-epoch ${v.headerSinceEpoch} to check from there`);
    }
  } else {
    const store = await openAuditStore(ctx, { readonly: true });
    try {
      const { ChainVerifier } = await import('../../core/audit/verify.js');
      const stored = await store.meta.get('audit.pubkey');
      if (!explicit && !stored) throw new AgentsecError('no audit public key in the store and none given: pass --pubkey with the key printed by agentsec init', ExitCode.Usage);
      trusted = explicit ?? { keys: [stored as string], source: 'store' };
      if (explicit && stored && !explicit.keys.includes(stored)) ctx.out.warn(`the public key recorded in the store (${fingerprint(stored)}) differs from ${explicit.source}`);
      const verifier = new ChainVerifier({ ...common, trustedKeys: trusted.keys });
      // One snapshot: checkpoints and entries from the same state of the chain, while writers may append.
      await store.snapshot(async (view) => {
        verifier.checkpoints(await view.audit.checkpoints());
        const bar = verifyProgress(ctx, await view.audit.count());
        try {
          for await (const batch of view.audit.entries(verifier.firstPosition)) {
            for (const [seq, hash, canon] of batch) {
              verifier.entry(seq, hash, canon);
              bar.tick();
            }
          }
        } finally {
          bar.end();
        }
      });
      report = verifier.finish();
      // The signing key is a fact of this host, not of the chain: only a store verified here can say it is gone.
      const { openAuditLog } = await import('../../services/audit.js');
      const key = await (await openAuditLog(ctx, store)).signingKeyState();
      if (key && !key.ok) hostNotes.push(`${key.message}: the chain cannot be sealed until agentsec audit rekey starts a new key line`);
    } finally {
      await store.close();
    }
  }
  // A top-level copy that disagrees with a canon the chain already reports as modified says nothing more: once.
  const located = new Set(report.problems.map((p) => p.seq).filter((s) => s !== undefined));
  const problems = [...extraProblems.filter((p) => p.seq === undefined || !p.detail.endsWith(TOP_LEVEL_MISMATCH) || !located.has(p.seq)), ...report.problems];
  const incomplete = [...report.incomplete, ...hostNotes];
  const tampered = problems.length > 0 || report.moreProblems > 0;
  const verdict = tampered ? 'tampered' : incomplete.length > 0 ? 'incomplete' : 'verified';
  if (trusted.source === 'store' || trusted.source === 'export') {
    ctx.out.warn(`the trusted public key was read from the ${trusted.source === 'store' ? 'audited host' : 'export itself'}, which proves less: pass --pubkey with the key printed by agentsec init`);
  } else if (trusted.source === 'none') {
    ctx.out.warn('no trusted public key: the export header has none and no --pubkey was given, so no checkpoint can be authenticated');
  }
  if (opts.state && report.state && !tampered) {
    try {
      writeFileAtomic(opts.state, `${JSON.stringify(report.state)}\n`);
    } catch (err) {
      throw err instanceof AgentsecError ? err : ioError(err, opts.state, 'write');
    }
  }
  render(ctx, { verdict, report, problems, incomplete, trusted });
  if (tampered) return ExitCode.Negative;
  if (hostNotes.length > 0) {
    // A lost or mismatched signing key is not the normal gap between two seals: this host can no longer seal, so
    // it stays loud (exit 3, like audit seal itself; 1 under --strict) instead of the quiet exit 0 of "incomplete".
    if (!ctx.out.json) ctx.out.warn(`verified, but this host cannot seal: ${opts.strict ? 'exit 1 under --strict' : 'exit 3 until agentsec audit rekey'}`);
    return opts.strict ? ExitCode.Negative : ExitCode.Runtime;
  }
  if (incomplete.length > 0) {
    if (!ctx.out.json) ctx.out.warn(`verified, but incomplete: ${opts.strict ? 'exit 1 under --strict' : 'exit 0 (--strict makes this exit 1)'}`);
    return opts.strict ? ExitCode.Negative : ExitCode.Ok;
  }
  return ExitCode.Ok;
}

function keysText(t: Trusted): string {
  return t.keys.length === 0 ? 'none' : t.keys.map((k) => fingerprint(k)).join(', ');
}

function resetText(r: KeyReset): string {
  return `key-reset at epoch ${r.epoch} (${r.key}) ${r.acceptedBy === 'pinned-key' ? 'accepted: its key is pinned' : r.acceptedBy === 'accept-reset' ? `accepted by --accept-reset ${r.epoch}` : 'NOT accepted'}`;
}

function render(ctx: Ctx, r: { verdict: string; report: VerifyReport; problems: Problem[]; incomplete: string[]; trusted: Trusted }): void {
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
      incomplete: r.incomplete,
      resets: report.resets,
      trustedKey: { fingerprint: r.trusted.keys[0] !== undefined ? fingerprint(r.trusted.keys[0]) : null, source: r.trusted.source },
      trustedKeys: r.trusted.keys.map((k) => fingerprint(k)),
    });
    return;
  }
  const c = ctx.out.chalk;
  const verdictText = r.verdict === 'verified' ? c.green('verified') : r.verdict === 'tampered' ? c.red.bold('TAMPERED') : c.yellow('verified, incomplete');
  if (r.problems.length > 0) {
    ctx.out.table(
      [
        { header: 'KIND', value: (p: Problem) => p.kind, style: (t: string) => c.red(t), keep: true },
        {
          header: 'WHERE',
          value: (p: Problem) =>
            [p.seq !== undefined ? `seq ${p.seq}${p.toSeq !== undefined ? `..${p.toSeq}` : ''}` : '', p.epoch !== undefined ? `epoch ${p.epoch}` : '', p.line !== undefined ? `line ${p.line}` : ''].filter(Boolean).join(' '),
        },
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
      ...report.resets.map((x) => `  ${resetText(x)}`),
      ...r.incomplete.map((i) => `  incomplete: ${i}`),
      `  trusted key${r.trusted.keys.length > 1 ? 's' : ''} ${keysText(r.trusted)} (${r.trusted.source})`,
    ].join('\n') + '\n',
  );
}

export function registerVerify(parent: Command, app: App): void {
  const cmd = parent
    .command('verify')
    .description('verify the audit chain: find and locate any modification, deletion, insertion, reordering or truncation')
    .option('--pubkey <key>', 'a pinned public key: the epoch-0 key printed by agentsec init, and any key audit rekey printed (repeatable)', collect)
    .option('--pubkey-file <file>', 'read the pinned public keys from a file, one per line')
    .option('--accept-reset <n>', 'accept the key reset (audit rekey) at epoch N without pinning its key (repeatable)', collect)
    .option('--jsonl <file>', 'verify an export (agentsec audit export) instead of the store')
    .option('--state <file>', 'remember the newest verified checkpoint here and report a rollback below it')
    .option('--since-epoch <n>', 'check entries from epoch N on (checkpoint signatures are always all checked)')
    .option('--epoch <duration>', 'epoch length for the clock rule (default: audit.epoch from config.yaml, else 15m)')
    .option('--clock-skew <duration>', 'how far ahead of this clock an entry or checkpoint may be dated (default 5m)')
    .option('--strict', 'exit 1 (not 0) when the verification is incomplete: the newest entries are not sealed yet, or --since-epoch skipped some')
    .option('--origin <host>', "verify another host's chain in a shared (PostgreSQL) store, against its pinned keys (--pubkey, or its lines of --pubkey-file)")
    .option('--all', "verify every host's chain in a shared store, each against its own keys: --pubkey-file of 'origin ed25519:<key>' lines")
    .action(action(app, (ctx, opts: VerifyOptions) => runVerify(ctx, opts)));
  examples(cmd, [
    'agentsec audit verify --pubkey ed25519:mO2n…',
    'agentsec audit verify --pubkey-file /etc/agentsec/audit.pub --state /var/lib/agentsec-verify.json --strict',
    'agentsec audit export --output audit.jsonl && agentsec audit verify --jsonl audit.jsonl --pubkey-file audit.pub',
    'agentsec audit verify --pubkey-file audit.pub --accept-reset 412   # after agentsec audit rekey started a new key line at epoch 412',
    'agentsec audit verify --all --pubkey-file /etc/agentsec/fleet.pub   # lines: origin ed25519:<key>',
  ]);
}
