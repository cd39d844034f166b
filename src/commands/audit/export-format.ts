import { open, type FileHandle } from 'node:fs/promises';
import { parseCanon } from '../../core/audit/entry.js';
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

/** How a top-level mismatch's reason ends (the verifier drops it where the chain already reports that entry). */
export const TOP_LEVEL_MISMATCH = 'from the signed canonical text';

// The members after "data" in a v1 canonical text (keys sorted), with the ones the top-level copies repeat captured.
const CANON_TAIL_RE = /^,"epoch":(0|[1-9]\d{0,15}),"prev":"[0-9a-f]{64}","seq":(?:0|[1-9]\d{0,15}),"ts":(0|[1-9]\d{0,15}),"type":"([a-z0-9._:-]{1,64})","v":1\}$/;

/**
 * The fast answer for the records agentsec writes, without parsing the canonical text a second time (the record's
 * line is already parsed): the copies are exact when the canonical text is, byte for byte, `{"actor":` + the
 * record's actor + `,"data":` + its data + a chain tail whose epoch, time and type are the record's. Then parsing the
 * canonical text could only give back those very values, so the full comparison would find no difference. Any
 * other record (a field missing, keys re-ordered by a SIEM, a real difference) takes the full comparison, so the
 * verdict and its wording never depend on which path ran.
 */
function topLevelCopiesExact(rec: Record<string, unknown>, canon: string): boolean {
  const { time, epoch, type, actor, data } = rec;
  if (typeof time !== 'string' || typeof epoch !== 'number' || typeof type !== 'string' || actor === undefined || data === undefined) return false;
  const head = `{"actor":${JSON.stringify(actor)},"data":${JSON.stringify(data)}`;
  if (!canon.startsWith(head)) return false;
  const m = CANON_TAIL_RE.exec(canon.slice(head.length));
  if (!m || Number(m[1]) !== epoch || m[3] !== type) return false;
  const ts = Number(m[2]);
  // Beyond the last representable date the full comparison decides (and fails as it always has).
  return ts <= 8.64e15 && new Date(ts).toISOString() === time;
}

/**
 * Whether the top-level copies of an entry record agree with its canonical text. They are not signed, so one that
 * differs is a modification a SIEM would believe: reported like any other tampering.
 */
export function topLevelMismatch(rec: Record<string, unknown>, canon: string): string | undefined {
  if (topLevelCopiesExact(rec, canon)) return undefined;
  const present = (['time', 'epoch', 'type', 'actor', 'data'] as const).filter((k) => k in rec);
  if (present.length === 0) return undefined;
  const expected = topLevelFields(canon);
  if (!expected) return undefined;
  const differs = present.filter((k) => !sameJson(rec[k], expected[k]));
  return differs.length > 0 ? `top-level ${differs.join(', ')} differ${differs.length === 1 ? 's' : ''} ${TOP_LEVEL_MISMATCH}` : undefined;
}

/**
 * The longest export line read. An entry's canonical text is at most 64 KiB, and JSON-escaping it inside the record
 * at most doubles it, so 1 MiB is far above any line agentsec writes; a longer one is skipped unread, never held whole.
 */
export const MAX_EXPORT_LINE_BYTES = 1 << 20;

type RawLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly overlong: true };

async function openForReading(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw ioError(err, path, 'read');
  }
  try {
    // A directory opens fine on Linux and fails only at the first read; say so up front.
    if ((await fh.stat()).isDirectory()) throw ioError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path, 'read');
  } catch (err) {
    await fh.close();
    throw err;
  }
  return fh;
}

/** The lines of a file in one pass, each at most `max` bytes: longer ones come back as `overlong`, their bytes dropped. */
export async function* boundedLines(path: string, max = MAX_EXPORT_LINE_BYTES): AsyncGenerator<RawLine> {
  const fh = await openForReading(path);
  try {
    const buf = Buffer.allocUnsafe(64 * 1024);
    let parts: Buffer[] = [];
    let partLen = 0;
    let overlong = false;
    let lineNo = 0;
    for (;;) {
      let n: number;
      try {
        n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
      } catch (err) {
        throw ioError(err, path, 'read');
      }
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      let start = 0;
      while (start < n) {
        const nl = chunk.indexOf(10, start);
        const end = nl === -1 ? n : nl;
        if (!overlong && partLen + (end - start) > max) {
          overlong = true;
          parts = [];
          partLen = 0;
        }
        if (nl === -1) {
          // The line goes on in the next chunk: keep a copy (the buffer is reused).
          if (!overlong) {
            parts.push(Buffer.from(chunk.subarray(start, end)));
            partLen += end - start;
          }
          break;
        }
        lineNo++;
        if (overlong) yield { line: lineNo, overlong: true };
        else if (parts.length === 0) yield { line: lineNo, text: chunk.toString('utf8', start, end) };
        else yield { line: lineNo, text: Buffer.concat([...parts, chunk.subarray(start, end)]).toString('utf8') };
        parts = [];
        partLen = 0;
        overlong = false;
        start = end + 1;
      }
    }
    if (overlong) yield { line: lineNo + 1, overlong: true };
    else if (partLen > 0) yield { line: lineNo + 1, text: Buffer.concat(parts).toString('utf8') };
  } finally {
    await fh.close();
  }
}

/** One line of an export, classified; `bad` lines are tampering for the verifier, located by line (and seq or epoch when readable). */
export type ExportRecord =
  | { readonly kind: 'header'; readonly line: number; readonly header: Readonly<Record<string, unknown>> }
  | { readonly kind: 'checkpoint'; readonly line: number; readonly epoch: number; readonly note: string }
  | { readonly kind: 'entry'; readonly line: number; readonly seq: number; readonly hash: string; readonly canon: string }
  | { readonly kind: 'bad'; readonly line: number; readonly reason: string; readonly seq?: number; readonly epoch?: number; readonly exportKind: boolean };

function safeInt(v: unknown): number | undefined {
  return Number.isSafeInteger(v) ? (v as number) : undefined;
}

/** Reads an export in one pass, line by line: whatever a line holds, it becomes a record or a `bad` line, never an exception. */
export async function* readExportRecords(path: string): AsyncGenerator<ExportRecord> {
  for await (const raw of boundedLines(path)) {
    const { line } = raw;
    if ('overlong' in raw) {
      yield { kind: 'bad', line, reason: `longer than ${MAX_EXPORT_LINE_BYTES} bytes (skipped unread)`, exportKind: false };
      continue;
    }
    if (raw.text.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(raw.text);
    } catch {
      yield { kind: 'bad', line, reason: 'not valid JSON', exportKind: false };
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      yield { kind: 'bad', line, reason: 'not a JSON object', exportKind: false };
      continue;
    }
    const rec = v as Record<string, unknown>;
    const seq = safeInt(rec['seq']);
    const epoch = safeInt(rec['epoch']);
    if (rec['kind'] === 'header') {
      yield { kind: 'header', line, header: rec };
    } else if (rec['kind'] === 'checkpoint') {
      if (typeof rec['note'] === 'string' && epoch !== undefined) yield { kind: 'checkpoint', line, epoch, note: rec['note'] };
      else yield { kind: 'bad', line, reason: 'malformed checkpoint record', ...(epoch !== undefined ? { epoch } : {}), exportKind: true };
    } else if (rec['kind'] === 'entry') {
      if (seq !== undefined && typeof rec['hash'] === 'string' && typeof rec['canon'] === 'string') {
        // The top-level copies a SIEM reads are not signed: one that disagrees with the canonical text is tampering.
        const mismatch = topLevelMismatch(rec, rec['canon']);
        if (mismatch) yield { kind: 'bad', line, reason: mismatch, seq, exportKind: true };
        yield { kind: 'entry', line, seq, hash: rec['hash'], canon: rec['canon'] };
      } else yield { kind: 'bad', line, reason: 'malformed entry record', ...(seq !== undefined ? { seq } : {}), exportKind: true };
    } else {
      yield { kind: 'bad', line, reason: 'not an export record (unknown kind)', exportKind: false };
    }
  }
}
