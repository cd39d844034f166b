import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AgentsecError, ExitCode } from '../../core/errors.js';
import { ioError } from '../../platform/fs.js';

/**
 * The export format: JSON Lines — a header, every checkpoint note, then every entry with its exact canonical text —
 * so a copy kept in Splunk or ELK stays verifiable with `audit verify --jsonl`.
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

export function entryLine(seq: number, hash: string, canon: string): string {
  return `${JSON.stringify({ kind: 'entry', seq, hash, canon })}\n`;
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
  /** Lines that are not valid records (reported as tampering by the caller). */
  bad(lineNo: number, reason: string): void;
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
    yield [rec['seq'] as number, rec['hash'], rec['canon']];
  }
}
