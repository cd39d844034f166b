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

function progress(ctx: Ctx, total: number): (n: number) => void {
  if (!ctx.out.stderrIsTTY || ctx.out.quiet || ctx.out.json || total < 200_000) return () => {};
  return (n) => {
    if (n % 65536 === 0) ctx.io.stderr.write(`\rverifying ${n}/${total} entries (${Math.floor((100 * n) / total)}%)`);
  };
}

/** Verifies the chain in the store, or an export with --jsonl. Exit 0 verified, 1 tampered, 2 cannot verify, 3 incomplete. */
export async function runVerify(ctx: Ctx, opts: VerifyOptions): Promise<number> {
  const sinceEpoch = opts.sinceEpoch !== undefined ? parseIntArg(opts.sinceEpoch, '--since-epoch') : undefined;
  const acceptResets = (opts.acceptReset ?? []).map((n) => parseIntArg(n, '--accept-reset'));
  const clockSkewMs = opts.clockSkew !== undefined ? parseDuration(opts.clockSkew, '--clock-skew') : undefined;
  const explicit = explicitKeys(opts);
  const state = opts.state ? readState(opts.state) : undefined;
  const now = ctx.clock().getTime();
  let epochMs: number;
  if (opts.epoch !== undefined) epochMs = parseDuration(opts.epoch, '--epoch');
  else {
    const { auditSettings } = await import('../../services/audit.js');
    epochMs = fs.existsSync(ctx.paths.config) || !opts.jsonl ? (await auditSettings(ctx)).epochMs : 15 * 60_000;
  }
  const common = { epochMs, now, acceptResets, ...(clockSkewMs !== undefined ? { clockSkewMs } : {}), ...(state ? { state } : {}), ...(sinceEpoch ? { sinceEpoch } : {}) };

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
      const n = await store.snapshot(async (view) => {
        verifier.checkpoints(await view.audit.checkpoints());
        const tick = progress(ctx, await view.audit.count());
        let seen = 0;
        for await (const batch of view.audit.entries(verifier.firstPosition)) {
          for (const [seq, hash, canon] of batch) {
            verifier.entry(seq, hash, canon);
            tick(++seen);
          }
        }
        return seen;
      });
      if (n >= 65536 && ctx.out.stderrIsTTY && !ctx.out.quiet && !ctx.out.json) ctx.io.stderr.write('\r\u001b[K');
      report = verifier.finish();
      // The signing key is a fact of this host, not of the chain: only a store verified here can say it is gone.
      const { openAuditLog } = await import('../../services/audit.js');
      const key = await (await openAuditLog(ctx, store)).signingKeyState();
      if (key && !key.ok) hostNotes.push(`${key.message}: the chain cannot be sealed until agentsec audit rekey starts a new key line`);
    } finally {
      await store.close();
    }
  }
  const problems = [...extraProblems, ...report.problems];
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
  if (incomplete.length > 0) return opts.strict ? ExitCode.Negative : ExitCode.Runtime;
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
        { header: 'KIND', value: (p: Problem) => p.kind, style: (t: string) => c.red(t) },
        {
          header: 'WHERE',
          value: (p: Problem) =>
            [p.seq !== undefined ? `seq ${p.seq}${p.toSeq !== undefined ? `..${p.toSeq}` : ''}` : '', p.epoch !== undefined ? `epoch ${p.epoch}` : '', p.line !== undefined ? `line ${p.line}` : ''].filter(Boolean).join(' '),
        },
        { header: 'DETAIL', value: (p: Problem) => p.detail },
      ],
      r.problems,
    );
    if (report.moreProblems > 0) ctx.out.info(`… and ${report.moreProblems} more problems`);
  }
  const last = report.lastCheckpoint;
  ctx.io.stderr.write(
    [
      `audit chain ${verdictText}${report.origin ? ` (${report.origin})` : ''}: ${report.entries} entries, ${report.sealed} sealed by ${report.checkpoints} checkpoints${last ? ` (last ${isoTime(last.time)})` : ''}, ${report.unsealed} not yet sealed`,
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
    .option('--strict', 'exit 1 (not 3) when the newest entries are not sealed yet')
    .action(action(app, (ctx, opts: VerifyOptions) => runVerify(ctx, opts)));
  examples(cmd, [
    'agentsec audit verify --pubkey ed25519:mO2n…',
    'agentsec audit verify --pubkey-file /etc/agentsec/audit.pub --state /var/lib/agentsec-verify.json --strict',
    'agentsec audit export --output audit.jsonl && agentsec audit verify --jsonl audit.jsonl --pubkey-file audit.pub',
    'agentsec audit verify --pubkey-file audit.pub --accept-reset 412   # after agentsec audit rekey started a new key line at epoch 412',
  ]);
}
