import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCanon } from '../../core/audit/entry.js';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { ioError } from '../../platform/fs.js';

/**
 * The export format: JSON Lines — a header, every checkpoint note, then every entry with its exact canonical text —
 * so a copy kept in Splunk or ELK stays verifiable with `audit verify --jsonl`. Each entry also carries `time`
 * (RFC 3339), `epoch`, `type`, `actor` and `data` at the top level, so a SIEM indexes them without parsing `canon`;
 * only `canon` is hashed and signed, and verify checks that the top-level copies say the same.
 */
export const EXPORT_FORMAT = 'agentsec.audit.export';

export interface ExportHeader {
  readonly kind: 'header';
  readonly format: typeof EXPORT_FORMAT;
  readonly v: 1;
  readonly origin: string;
  readonly pubkey: string;
  readonly sinceEpoch: number;
}

export function headerLine(h: Omit<ExportHeader, 'kind' | 'format' | 'v'>): string {
  return `${JSON.stringify({ kind: 'header', format: EXPORT_FORMAT, v: 1, ...h })}\n`;
}

export function checkpointLine(epoch: number, note: string): string {
  return `${JSON.stringify({ kind: 'checkpoint', epoch, note })}\n`;
}

/** The fields a SIEM reads, taken from the canonical text (absent when it does not parse: verify reports that). */
export function topLevelFields(canon: string): { time: string; epoch: number; type: string; actor: unknown; data: unknown } | undefined {
  const e = parseCanon(canon);
  return e ? { time: new Date(e.ts).toISOString(), epoch: e.epoch, type: e.type, actor: e.actor, data: e.data } : undefined;
}

export function entryLine(seq: number, hash: string, canon: string): string {
  return `${JSON.stringify({ kind: 'entry', seq, hash, ...topLevelFields(canon), canon })}\n`;
}

/** Order-insensitive equality of JSON values (a SIEM may re-serialise objects with their keys in another order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether the top-level copies of an entry record agree with its canonical text. They are not signed, so one that
 * differs is a modification a SIEM would believe: reported like any other tampering.
 */
export function topLevelMismatch(rec: Record<string, unknown>, canon: string): string | undefined {
  const present = (['time', 'epoch', 'type', 'actor', 'data'] as const).filter((k) => k in rec);
  if (present.length === 0) return undefined;
  const expected = topLevelFields(canon);
  if (!expected) return undefined;
  const differs = present.filter((k) => !sameJson(rec[k], expected[k]));
  return differs.length > 0 ? `top-level ${differs.join(', ')} differ${differs.length === 1 ? 's' : ''} from the signed canonical text` : undefined;
}

async function* lines(path: string): AsyncGenerator<[number, string]> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((res, rej) => {
    stream.once('open', () => res());
    stream.once('error', rej);
  });
  try {
    await opened;
  } catch (err) {
    throw ioError(err, path, 'read');
  }
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() !== '') yield [n, line];
  }
}

export interface ExportReadCallbacks {
  /** Lines that are not valid records (reported as tampering by the caller), with the entry's seq when known. */
  bad(lineNo: number, reason: string, seq?: number): void;
}

/** First pass: the header and every checkpoint (few). Refuses a file that is not an agentsec export. */
export async function readExportHead(path: string, cb: ExportReadCallbacks): Promise<{ header: ExportHeader; checkpoints: Array<{ epoch: number; note: string }> }> {
  let header: ExportHeader | undefined;
  const checkpoints: Array<{ epoch: number; note: string }> = [];
  for await (const [n, line] of lines(path)) {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      if (!header) throw new AgentsecError(`${path} is not an agentsec audit export (line ${n} is not JSON)`, ExitCode.Usage);
      cb.bad(n, 'not valid JSON');
      continue;
    }
    if (!header) {
      if (rec['kind'] !== 'header' || rec['format'] !== EXPORT_FORMAT || rec['v'] !== 1) throw new AgentsecError(`${path} is not an agentsec audit export (no header line)`, ExitCode.Usage);
      header = rec as unknown as ExportHeader;
      continue;
    }
    if (rec['kind'] === 'checkpoint') {
      if (typeof rec['note'] !== 'string' || !Number.isSafeInteger(rec['epoch'])) cb.bad(n, 'malformed checkpoint record');
      else checkpoints.push({ epoch: rec['epoch'] as number, note: rec['note'] });
    } else if (rec['kind'] !== 'entry') {
      cb.bad(n, `unknown record kind`);
    }
  }
  if (!header) throw new AgentsecError(`${path} is empty: not an agentsec audit export`, ExitCode.Usage);
  return { header, checkpoints };
}

/** Second pass: entries in file order. */
export async function* readExportEntries(path: string, cb: ExportReadCallbacks): AsyncGenerator<[number, string, string]> {
  for await (const [n, line] of lines(path)) {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (rec['kind'] !== 'entry') continue;
    if (!Number.isSafeInteger(rec['seq']) || typeof rec['hash'] !== 'string' || typeof rec['canon'] !== 'string') {
      cb.bad(n, 'malformed entry record');
      continue;
    }
    const mismatch = topLevelMismatch(rec, rec['canon']);
    if (mismatch) cb.bad(n, mismatch, rec['seq'] as number);
    yield [rec['seq'] as number, rec['hash'], rec['canon']];
  }
}
