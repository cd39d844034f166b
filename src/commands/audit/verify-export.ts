import { ExportPlacer, type PlacedEntry } from '../../core/audit/export-order.js';
import { decodePublicKey } from '../../core/audit/keys.js';
import { ChainVerifier, type Problem, type VerifyOptions, type VerifyReport } from '../../core/audit/verify.js';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { EXPORT_FORMAT, readExportRecords } from './export-format.js';

/** Non-empty lines read before deciding that a file with no export record at all is something else. */
const SNIFF_LINES = 16;

export interface ExportVerification {
  readonly report: VerifyReport;
  /** Problems with the export's lines themselves (malformed, out of place), each located by line. */
  readonly lineProblems: Problem[];
  /** The public key the export's own header names, when it names a valid one. */
  readonly headerKey: string | undefined;
  /** `sinceEpoch` as the (unsigned) header states it: only a hint, it never narrows what is checked. */
  readonly headerSinceEpoch: number | undefined;
}

function validKey(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    decodePublicKey(v);
    return v.trim();
  } catch {
    return undefined;
  }
}

/**
 * Verifies an export in one pass: header, checkpoints, then entries placed by file order. Whatever a line holds is
 * either a record or a located problem, so a damaged export gives a tamper verdict, never an internal error. Only a
 * file with no export record in its first lines is refused as "not an export" (exit 2); an unreadable one is exit 3.
 * Nothing in the header is signed, so nothing in it narrows the check: the caller's `sinceEpoch` alone does that.
 */
export async function verifyExport(path: string, opts: { readonly keys: readonly string[] | undefined; readonly verify: Omit<VerifyOptions, 'trustedKeys'> }): Promise<ExportVerification> {
  const lineProblems: Problem[] = [];
  const checkpoints: Array<{ epoch: number; note: string }> = [];
  let header: Readonly<Record<string, unknown>> | undefined;
  let headerKey: string | undefined;
  let nonBlank = 0;
  let recognised = false;
  let verifier: ChainVerifier | undefined;
  let placer: ExportPlacer | undefined;
  const bad = (line: number, detail: string, at: { seq?: number; epoch?: number } = {}) => lineProblems.push({ kind: 'modified', line, ...at, detail: `export line ${line}: ${detail}` });
  const start = (): { verifier: ChainVerifier; placer: ExportPlacer } => {
    if (!verifier || !placer) {
      verifier = new ChainVerifier({ ...opts.verify, trustedKeys: opts.keys ?? (headerKey ? [headerKey] : []) });
      verifier.checkpoints(checkpoints);
      placer = new ExportPlacer(verifier.firstPosition);
    }
    return { verifier, placer };
  };
  const feed = (v: ChainVerifier, placed: PlacedEntry[]) => {
    for (const p of placed) {
      // The record's seq is not hashed; the entry's own seq is. A difference means the line was edited.
      if (p.entrySeq !== undefined && p.seq !== p.entrySeq) bad(p.line, `the record says seq ${p.seq} but holds entry ${p.entrySeq}`, { seq: p.entrySeq });
      v.entry(p.position, p.hash, p.canon);
    }
  };
  for await (const rec of readExportRecords(path)) {
    nonBlank++;
    if (rec.kind !== 'bad' || rec.exportKind) recognised = true;
    if (!recognised && nonBlank >= SNIFF_LINES) break;
    if (nonBlank === 1 && rec.kind !== 'header') bad(rec.line, 'the header is missing (an export starts with one)');
    switch (rec.kind) {
      case 'header':
        if (nonBlank !== 1) {
          bad(rec.line, 'a second header');
          break;
        }
        if (rec.header['format'] !== EXPORT_FORMAT || rec.header['v'] !== 1) {
          throw new AgentsecError(`${path} is not an agentsec audit export this version reads (its header says format ${JSON.stringify(rec.header['format'])} v${JSON.stringify(rec.header['v'])})`, ExitCode.Usage);
        }
        header = rec.header;
        headerKey = validKey(header['pubkey']);
        if (!headerKey) bad(rec.line, 'the header has no valid pubkey');
        break;
      case 'checkpoint':
        if (verifier) bad(rec.line, `checkpoint ${rec.epoch} comes after the entries (not used)`, { epoch: rec.epoch });
        else checkpoints.push({ epoch: rec.epoch, note: rec.note });
        break;
      case 'entry': {
        const s = start();
        feed(s.verifier, s.placer.push({ line: rec.line, seq: rec.seq, hash: rec.hash, canon: rec.canon }));
        break;
      }
      case 'bad':
        bad(rec.line, rec.reason, { ...(rec.seq !== undefined ? { seq: rec.seq } : {}), ...(rec.epoch !== undefined ? { epoch: rec.epoch } : {}) });
        break;
    }
  }
  if (nonBlank > 0 && !recognised) throw new AgentsecError(`${path} is not an agentsec audit export (no header, checkpoint or entry line)`, ExitCode.Usage);
  // An empty file is an export cut to nothing, not a wrong file: a tamper verdict.
  if (nonBlank === 0) lineProblems.push({ kind: 'truncated', detail: 'the export is empty: no header, checkpoint or entry' });
  const s = start();
  feed(s.verifier, s.placer.end());
  const since = header ? header['sinceEpoch'] : undefined;
  return { report: s.verifier.finish(), lineProblems, headerKey, headerSinceEpoch: Number.isSafeInteger(since) ? (since as number) : undefined };
}
