import { createHash } from 'node:crypto';
import { AgentsecError, ExitCode } from '../errors.js';
import { canonicalize, MAX_CANON_BYTES } from './canonical.js';

export const ENTRY_VERSION = 1;
export const HASH_DOMAIN = 'agentsec.audit.v1\n';
export const ZERO_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** What a writer supplies; the chain adds seq, ts, epoch and prev. */
export interface AuditEvent {
  readonly type: string;
  readonly actor?: JsonValue;
  readonly data?: { [k: string]: JsonValue };
}

export interface AuditEntry {
  readonly v: number;
  readonly seq: number;
  /** Milliseconds since the Unix epoch. */
  readonly ts: number;
  readonly epoch: number;
  readonly type: string;
  readonly actor: JsonValue;
  readonly data: { [k: string]: JsonValue };
  /** Hash of the previous entry (zeros for seq 0). */
  readonly prev: string;
}

export interface SealedEntry {
  readonly entry: AuditEntry;
  readonly canon: string;
  readonly hash: string;
}

const TYPE_RE = /^[a-z0-9][a-z0-9._:-]{0,63}$/;

export function validateEventType(type: string): void {
  if (!TYPE_RE.test(type)) {
    throw new AgentsecError(`invalid audit type '${type.slice(0, 80)}': use 1-64 lowercase letters, digits and . _ : - (e.g. app.login)`, ExitCode.Usage);
  }
}

/** `SHA-256("agentsec.audit.v1\n" + canon)` in hex: the entry's identity and the next entry's `prev`. */
export function hashCanon(canon: string): string {
  return createHash('sha256').update(HASH_DOMAIN).update(canon).digest('hex');
}

/** Builds the next entry of the chain: canonical text and hash, refusing non-canonical data and oversized entries. */
export function buildEntry(event: AuditEvent, position: { seq: number; ts: number; epoch: number; prev: string }): SealedEntry {
  validateEventType(event.type);
  if (event.data !== undefined && (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data))) {
    throw new AgentsecError('audit data must be a JSON object', ExitCode.Usage);
  }
  const entry: AuditEntry = { v: ENTRY_VERSION, seq: position.seq, ts: position.ts, epoch: position.epoch, type: event.type, actor: event.actor ?? null, data: event.data ?? {}, prev: position.prev };
  const canon = canonicalize(entry);
  const bytes = Buffer.byteLength(canon, 'utf8');
  if (bytes > MAX_CANON_BYTES) throw new AgentsecError(`audit entry is ${bytes} bytes, over the ${MAX_CANON_BYTES}-byte limit: record less data`, ExitCode.Usage);
  return { entry, canon, hash: hashCanon(canon) };
}

/** Parses a stored canonical text back into an entry, or returns undefined when it is not a well-formed entry. */
export function parseCanon(canon: string): AuditEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(canon);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const e = v as Record<string, unknown>;
  if (
    e['v'] !== ENTRY_VERSION ||
    !Number.isSafeInteger(e['seq']) ||
    !Number.isSafeInteger(e['ts']) ||
    !Number.isSafeInteger(e['epoch']) ||
    typeof e['type'] !== 'string' ||
    typeof e['prev'] !== 'string' ||
    typeof e['data'] !== 'object' ||
    e['data'] === null
  ) {
    return undefined;
  }
  return e as unknown as AuditEntry;
}
