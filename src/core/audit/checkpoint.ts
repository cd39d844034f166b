import { createHash, type KeyObject } from 'node:crypto';
import { decodePublicKey, signBytes, verifyBytes } from './keys.js';

/**
 * A checkpoint is a signed note in the style of C2SP signed-note: a text body, a blank line, and a signature line
 * `— <origin> <base64(keyhash4 || ed25519 signature)>`. The body commits to the log's size and head hash, the epoch,
 * the time, and the public key of the next epoch: each epoch's key vouches for the next one, and is destroyed after
 * signing, so whoever holds today's key cannot re-sign sealed history.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly epoch: number;
  /** Number of entries covered (seq 0 .. size-1). */
  readonly size: number;
  /** Hash of entry size-1, zeros when size is 0. */
  readonly head: string;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  readonly nextKey: string;
  /**
   * Set only on the checkpoint `agentsec audit rekey` writes: the public key of a new key line, which signs this
   * checkpoint instead of the key the previous checkpoint vouched for (that key was lost). A verifier must treat it
   * as a break in the chain of keys and accept it only when told to (a pinned key or --accept-reset).
   */
  readonly reset?: string;
}

const HEADER = 'agentsec audit checkpoint v1';

function keyHash(publicKey: string): Buffer {
  return createHash('sha256').update(publicKey).digest().subarray(0, 4);
}

/** The signed text of a checkpoint; a reset checkpoint has one more line, so no older verifier can mistake it for a plain one. */
export function checkpointBody(cp: Checkpoint): string {
  const reset = cp.reset !== undefined ? `key-reset ${cp.reset}\n` : '';
  return `${HEADER}\norigin ${cp.origin}\nepoch ${cp.epoch}\nsize ${cp.size}\nhead ${cp.head}\ntime ${cp.time}\nnext-key ${cp.nextKey}\n${reset}`;
}

/** Signs a checkpoint with the current epoch's key; returns the note text that is stored and exported. */
export function signCheckpoint(cp: Checkpoint, key: KeyObject, publicKey: string): string {
  const body = checkpointBody(cp);
  const sig = signBytes(key, Buffer.from(body, 'utf8'));
  return `${body}\n— ${cp.origin} ${Buffer.concat([keyHash(publicKey), sig]).toString('base64')}\n`;
}

export type ParsedNote = { ok: true; checkpoint: Checkpoint; body: string; signature: Buffer; keyHash: Buffer } | { ok: false; reason: string };

/** Parses a note strictly: the body must re-render byte for byte, so no field can hide in whitespace. */
export function parseNote(note: string): ParsedNote {
  const split = note.indexOf('\n\n');
  if (split < 0) return { ok: false, reason: 'no signature block' };
  const body = note.slice(0, split + 1);
  const sigLine = note.slice(split + 2);
  const lines = body.slice(0, -1).split('\n');
  if (lines[0] !== HEADER || (lines.length !== 7 && lines.length !== 8)) return { ok: false, reason: 'not an agentsec checkpoint' };
  const field = (i: number, name: string): string | undefined => {
    const l = lines[i] ?? '';
    return l.startsWith(`${name} `) ? l.slice(name.length + 1) : undefined;
  };
  const origin = field(1, 'origin');
  const epoch = Number(field(2, 'epoch'));
  const size = Number(field(3, 'size'));
  const head = field(4, 'head');
  const time = Number(field(5, 'time'));
  const nextKey = field(6, 'next-key');
  const reset = lines.length === 8 ? field(7, 'key-reset') : undefined;
  if (lines.length === 8 && reset === undefined) return { ok: false, reason: 'malformed checkpoint fields' };
  if (origin === undefined || head === undefined || nextKey === undefined || !Number.isSafeInteger(epoch) || !Number.isSafeInteger(size) || !Number.isSafeInteger(time) || !/^[0-9a-f]{64}$/.test(head)) {
    return { ok: false, reason: 'malformed checkpoint fields' };
  }
  const checkpoint: Checkpoint = { origin, epoch, size, head, time, nextKey, ...(reset !== undefined ? { reset } : {}) };
  if (checkpointBody(checkpoint) !== body) return { ok: false, reason: 'non-canonical checkpoint text' };
  const m = /^— (\S+) ([A-Za-z0-9+/=]+)\n$/.exec(sigLine);
  if (!m || m[1] !== origin) return { ok: false, reason: 'malformed signature line' };
  const blob = Buffer.from(m[2] as string, 'base64');
  if (blob.length !== 4 + 64) return { ok: false, reason: 'malformed signature' };
  return { ok: true, checkpoint, body, keyHash: blob.subarray(0, 4), signature: blob.subarray(4) };
}

/** True when the note's signature verifies under `publicKey` (the key vouched for by the previous checkpoint). */
export function verifyNoteSignature(parsed: Extract<ParsedNote, { ok: true }>, publicKey: string): boolean {
  let key: KeyObject;
  try {
    key = decodePublicKey(publicKey);
  } catch {
    return false;
  }
  if (!keyHash(publicKey).equals(parsed.keyHash)) return false;
  return verifyBytes(key, Buffer.from(parsed.body, 'utf8'), parsed.signature);
}
