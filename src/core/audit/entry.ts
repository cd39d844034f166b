import * as crypto from 'node:crypto';
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

// The verifier's hot loop. Node's one-shot crypto.hash (20.12+) allocates no Hash object: about twice as fast per
// entry as continuing a copy of the prefix's state, which older Node 20 releases still use.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const domainState = crypto.createHash('sha256').update(HASH_DOMAIN);

/** `SHA-256("agentsec.audit.v1\n" + canon)` in hex: the entry's identity and the next entry's `prev`. */
export function hashCanon(canon: string): string {
  return oneShot ? oneShot('sha256', HASH_DOMAIN + canon, 'hex') : domainState.copy().update(canon).digest('hex');
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

/** The chain fields of an entry: what verification needs, without its actor and data. */
export interface ChainFields {
  readonly seq: number;
  readonly ts: number;
  readonly epoch: number;
  readonly prev: string;
}

// Keys are sorted, so a v1 entry always ends with these members, in this order, after "data"; `type` cannot
// contain a quote or a backslash, so the anchored match can only be the top-level members.
const TAIL_RE = /,"epoch":(0|[1-9]\d{0,15}),"prev":"([0-9a-f]{64})","seq":(0|[1-9]\d{0,15}),"ts":(0|[1-9]\d{0,15}),"type":"[a-z0-9._:-]{1,64}","v":1\}$/;

/**
 * Reads the chain fields of a stored canonical text without parsing its data (the verifier's hot loop), falling back
 * to a full parse; undefined when it is not a well-formed v1 entry.
 */
export function chainFields(canon: string): ChainFields | undefined {
  const at = canon.lastIndexOf(',"epoch":');
  const m = at > 0 && canon.startsWith('{"actor":') ? TAIL_RE.exec(canon.slice(at)) : null;
  if (m) {
    const seq = Number(m[3]);
    const ts = Number(m[4]);
    const epoch = Number(m[1]);
    if (Number.isSafeInteger(seq) && Number.isSafeInteger(ts) && Number.isSafeInteger(epoch)) return { seq, ts, epoch, prev: m[2] as string };
  }
  return parseCanon(canon);
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
    !/^[0-9a-f]{64}$/.test(e['prev']) ||
    typeof e['data'] !== 'object' ||
    e['data'] === null
  ) {
    return undefined;
  }
  return e as unknown as AuditEntry;
}
