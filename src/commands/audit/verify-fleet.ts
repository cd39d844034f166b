/**
 * `audit verify --origin HOST` and `--all`: the chains of a fleet's shared store, each checked against the public
 * keys pinned for its own origin (a file of `origin pubkey` lines kept off the hosts). A host holds only its own
 * signing keys, so it cannot produce a checkpoint another host's pinned key accepts: rewriting or extending another
 * host's sealed chain shows as tampered, and a chain moved under another origin as wrong-origin.
 */
import type { Ctx } from '../../cli/context.js';
import { decodePublicKey, fingerprint } from '../../core/audit/keys.js';
import type { Problem, VerifyOptions as ChainOptions, VerifyReport } from '../../core/audit/verify-types.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { readTextFile } from '../../platform/fs.js';
import { isoTime, openAuditStore } from './shared.js';

export interface FleetVerifyOptions {
  readonly origin?: string;
  readonly all?: boolean;
  readonly pubkey?: string[];
  readonly pubkeyFile?: string;
  readonly strict?: boolean;
}

interface OriginResult {
  readonly origin: string;
  readonly verdict: 'verified' | 'incomplete' | 'tampered' | 'unpinned' | 'missing';
  readonly report?: VerifyReport;
  readonly problems: readonly Problem[];
  readonly incomplete: readonly string[];
  readonly keys: readonly string[];
}

/** `origin pubkey` lines (# comments, blank lines); an origin may have several keys (one per rekey). */
export function readPins(file: string): Map<string, string[]> {
  const pins = new Map<string, string[]>();
  const lines = readTextFile(file, 'public key file').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) throw usageError(`--pubkey-file ${file} line ${i + 1}: expected 'origin ed25519:<key>' for --origin or --all`);
    const [origin, key] = fields as [string, string];
    decodePublicKey(key, `--pubkey-file ${file} line ${i + 1}`);
    pins.set(origin, [...(pins.get(origin) ?? []), key]);
  });
  if (pins.size === 0) throw usageError(`--pubkey-file ${file} pins no origin: expected 'origin ed25519:<key>' lines`);
  return pins;
}

type Common = Omit<ChainOptions, 'trustedKeys'>;

async function verifyOrigin(ctx: Ctx, origin: string, keys: readonly string[], common: Common): Promise<OriginResult> {
  const store = await openAuditStore(ctx, { readonly: true, origin });
  try {
    const { ChainVerifier } = await import('../../core/audit/verify.js');
    const verifier = new ChainVerifier({ ...common, trustedKeys: keys });
    await store.snapshot(async (view) => {
      verifier.checkpoints(await view.audit.checkpoints());
      for await (const batch of view.audit.entries(verifier.firstPosition)) for (const [seq, hash, canon] of batch) verifier.entry(seq, hash, canon);
    });
    const report = verifier.finish();
    const problems: Problem[] = [...report.problems];
    if (report.origin !== undefined && report.origin !== null && report.origin !== origin) {
      problems.push({ kind: 'wrong-origin', detail: `the chain stored as ${origin} is signed as ${report.origin}` });
    }
    const tampered = problems.length > 0 || report.moreProblems > 0;
    return { origin, verdict: tampered ? 'tampered' : report.incomplete.length > 0 ? 'incomplete' : 'verified', report, problems, incomplete: report.incomplete, keys };
  } finally {
    await store.close();
  }
}

export async function runFleetVerify(ctx: Ctx, opts: FleetVerifyOptions, common: Common): Promise<number> {
  if (opts.all && opts.origin !== undefined) throw usageError('give --origin or --all, not both');
  if ((opts.pubkey?.length ?? 0) > 0 && opts.pubkeyFile !== undefined) throw usageError('give --pubkey or --pubkey-file, not both');
  let pins: Map<string, string[]>;
  if (opts.pubkeyFile !== undefined) pins = readPins(opts.pubkeyFile);
  else if (opts.origin !== undefined && (opts.pubkey?.length ?? 0) > 0) pins = new Map([[opts.origin, (opts.pubkey ?? []).map((k) => (decodePublicKey(k, '--pubkey'), k.trim()))]]);
  else throw usageError(`${opts.all ? '--all' : '--origin'} needs the pinned keys: --pubkey-file with one 'origin ed25519:<key>' line per host${opts.all ? '' : ', or --pubkey'}`);

  const store = await openAuditStore(ctx, { readonly: true });
  let stored: string[];
  try {
    stored = await store.origins();
  } finally {
    await store.close();
  }
  const wanted = opts.all ? [...new Set([...stored, ...pins.keys()])].sort() : [opts.origin as string];
  if (!opts.all && !stored.includes(opts.origin as string)) throw usageError(`no audit chain for origin ${opts.origin} in the store (it holds: ${stored.join(', ') || 'none'})`);
  const results: OriginResult[] = [];
  for (const origin of wanted) {
    const keys = pins.get(origin);
    // A chain nobody pinned is a host nobody vouched for; a pinned host without a chain lost it: both fail.
    if (!keys) results.push({ origin, verdict: 'unpinned', problems: [], incomplete: [], keys: [] });
    else if (!stored.includes(origin)) results.push({ origin, verdict: 'missing', problems: [], incomplete: [], keys });
    else results.push(await verifyOrigin(ctx, origin, keys, common));
  }
  const failed = results.some((r) => r.verdict === 'tampered' || r.verdict === 'unpinned' || r.verdict === 'missing');
  const incomplete = results.some((r) => r.verdict === 'incomplete');
  const verdict = failed ? 'tampered' : incomplete ? 'incomplete' : 'verified';
  if (ctx.out.json) {
    ctx.out.document({
      verdict,
      ok: verdict === 'verified',
      origins: results.map((r) => ({
        origin: r.origin,
        verdict: r.verdict,
        entries: r.report?.entries ?? 0,
        sealed: r.report?.sealed ?? 0,
        unsealed: r.report?.unsealed ?? 0,
        checkpoints: r.report?.checkpoints ?? 0,
        lastCheckpoint: r.report?.lastCheckpoint ? isoTime(r.report.lastCheckpoint.time) : null,
        problems: r.problems,
        incomplete: r.incomplete,
        trustedKeys: r.keys.map((k) => fingerprint(k)),
      })),
    });
  } else {
    for (const r of results) {
      const what =
        r.verdict === 'unpinned'
          ? 'UNPINNED: the store holds a chain for this origin, the key file pins none'
          : r.verdict === 'missing'
            ? 'MISSING: pinned, but the store holds no chain for it'
            : `${r.verdict === 'tampered' ? 'TAMPERED' : r.verdict === 'incomplete' ? 'verified, incomplete' : 'verified'}: ${r.report?.entries ?? 0} entries, ${r.report?.sealed ?? 0} sealed by ${r.report?.checkpoints ?? 0} checkpoints, ${r.report?.unsealed ?? 0} not yet sealed`;
      ctx.io.stderr.write(`${r.origin}: ${what}\n`);
      for (const p of r.problems) ctx.io.stderr.write(`  ${p.kind}${p.seq !== undefined ? ` seq ${p.seq}` : ''}${p.epoch !== undefined ? ` epoch ${p.epoch}` : ''}: ${p.detail}\n`);
      for (const i of r.incomplete) ctx.io.stderr.write(`  incomplete: ${i}\n`);
    }
  }
  if (failed) return ExitCode.Negative;
  if (incomplete && opts.strict) return ExitCode.Negative;
  return ExitCode.Ok;
}
