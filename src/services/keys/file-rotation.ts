/**
 * `keys rotate … --dotenv F --var NAME | --secret-file F`: a new API key written into the config file of the client
 * that sends it, with the safety of `secret rotate` and its machinery: the file's lock, a read through a descriptor
 * that follows no symlink, an atomic 0600 replacement that keeps the owner, and a recorded event (fingerprint,
 * never the value) so `secret status` tracks the file.
 */
import { EnvSyntaxError, parseEnv, serializeEnv } from '../../core/secrets/env-file.js';
import { fingerprintSecret } from '../../core/secrets/fingerprint.js';
import { parseSecretFile, planEnvRotation } from '../../core/secrets/rotation.js';
import { runtimeError, usageError } from '../../core/errors.js';
import type { ApiKeyRecord } from '../../core/apikeys/record.js';
import { acquireFileLock } from '../../platform/file-lock.js';
import { modeWarning, readSecretTarget, removeStaleTemps, secretText, writeBeside, writeSecretTarget, type SecretTarget } from '../../platform/secret-target.js';
import { basename } from 'node:path';
import type { SecretKind } from '../../store/secrets.js';
import { rotateKeyIn, type Issued, type KeysDeps } from '../keys.js';

export type KeyFile = { readonly kind: 'env'; readonly target: SecretTarget; readonly variable: string; readonly create: boolean } | { readonly kind: 'secret-file'; readonly target: SecretTarget };

export interface KeyFileRotation {
  readonly keys: KeysDeps;
  /** The secrets fingerprint subkey (as `secret rotate` uses), for the file's recorded event. */
  readonly fingerprintKey: Uint8Array;
  /** Finds the key to rotate (by id or by name); called under the file's lock. */
  readonly find: () => Promise<ApiKeyRecord>;
  readonly graceMs: number;
  /** Skip when the current key is younger than this (its creation is its last rotation). */
  readonly ifOlderThanMs?: number | undefined;
  readonly file: KeyFile;
}

export type KeyFileOutcome =
  | { readonly rotated: true; readonly issued: Issued & { readonly old: ApiKeyRecord }; readonly file: string; readonly name: string; readonly fingerprint: string; readonly warnings: string[] }
  | { readonly rotated: false; readonly old: ApiKeyRecord; readonly file: string; readonly name: string; readonly reason: string };

/** The file's text with `key` in place of the current value, or a usage error that changed nothing. */
function planText(f: KeyFile, text: string, key: string, now: Date): string {
  if (f.kind === 'secret-file') {
    let content;
    try {
      content = parseSecretFile(text);
    } catch {
      throw usageError(`--secret-file ${f.target.given} has more than one line: a secrets file must hold only the key (nothing was changed)`);
    }
    return key + content.eol;
  }
  let doc;
  try {
    doc = parseEnv(text);
  } catch (err) {
    if (err instanceof EnvSyntaxError) throw usageError(`--dotenv ${f.target.given}: ${err.message}: fix it and retry (nothing was changed)`);
    throw err;
  }
  // No NAME_PREVIOUS: the old key stays valid in the store for the grace period, so the client needs only the new
  // one, and an old key left in the file would be a second live credential to leak.
  planEnvRotation(doc, [f.variable], { create: f.create, keepPrevious: false }, () => undefined, now, () => key);
  const out = serializeEnv(doc);
  // Belt and braces, as secret rotate: the edit must parse, or nothing is written.
  parseEnv(out);
  return out;
}

/**
 * Rotates a key into a file. Under the file's lock: read the file (refusing a symlink leading elsewhere, a second
 * hard link, a syntax error, a missing variable without `create`), find the key, then in one store transaction
 * rotate it, record the file's event and — last, still inside the transaction — replace the file. A failed write
 * rolls the rotation back, so the store never holds a new key nobody has; should the commit itself fail after the
 * write, the old content is put back. Audit points: `keys.rotate` (with file and variable) and `secret.rotated`
 * (fingerprint), in that transaction. Never prints; the key is returned once.
 */
export async function rotateKeyIntoFile(run: KeyFileRotation): Promise<KeyFileOutcome> {
  const d = run.keys;
  const t = run.file.target;
  const name = run.file.kind === 'env' ? run.file.variable : basename(t.real);
  const kind: SecretKind = run.file.kind === 'env' ? 'env' : 'secret-file';
  const lock = await acquireFileLock(t.real);
  try {
    removeStaleTemps(t.real);
    const read = readSecretTarget(t);
    const text = secretText(t, read);
    const old = await run.find();
    const now = d.clock();
    if (run.ifOlderThanMs !== undefined && now.getTime() - old.createdAt < run.ifOlderThanMs) {
      return { rotated: false, old, file: t.real, name, reason: `issued or rotated ${new Date(old.createdAt).toISOString()}, less than --if-older-than ago` };
    }
    // Planned once with a stand-in to refuse bad input before the store is touched, then for real with the key.
    planText(run.file, text, 'x', now);
    let written = false;
    try {
      const outcome = await d.store.transaction(async (tx) => {
        const issued = await rotateKeyIn(d, tx, old.id, run.graceMs, now.getTime(), { file: t.real, variable: run.file.kind === 'env' ? name : null });
        const fingerprint = fingerprintSecret(run.fingerprintKey, issued.key);
        await tx.secrets.record([{ file: t.real, name, kind, action: 'rotated', fingerprint, at: now.toISOString() }]);
        await d.audit(tx, 'secret.rotated', { file: t.real, name, kind, fingerprint });
        writeSecretTarget(t, read.identity, planText(run.file, text, issued.key, now));
        written = true;
        return { issued, fingerprint };
      });
      return { rotated: true, issued: outcome.issued, file: t.real, name, fingerprint: outcome.fingerprint, warnings: modeWarning(t, read.identity) };
    } catch (err) {
      if (!written) throw err;
      // The file holds a key the store does not: put the old content back, under the same lock.
      try {
        writeBeside(t.real, read.identity, text);
      } catch {
        throw runtimeError(`${t.given} holds a new key that the store could not record, and the old content could not be put back: restore ${t.given} from a backup; the old key still works`, err);
      }
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw runtimeError(`the rotation could not be recorded in the store (${why}); ${t.given} was put back as it was and the old key still works`, err);
    }
  } finally {
    lock.release();
  }
}
