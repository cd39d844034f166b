import * as fs from 'node:fs';
import { basename } from 'node:path';
import { runtimeError, usageError } from '../../core/errors.js';
import { EnvSyntaxError, parseEnv, serializeEnv } from '../../core/secrets/env-file.js';
import { fingerprintSecret } from '../../core/secrets/fingerprint.js';
import { parseSecretFile, planEnvRotation, planSecretFileRotation, type RotateOptions, type SecretPlan } from '../../core/secrets/rotation.js';
import { acquireFileLock } from '../../platform/file-lock.js';
import type { FileIdentity } from '../../platform/no-follow.js';
import { ioError } from '../../platform/fs.js';
import { assertUnchanged, modeWarning, readSecretTarget, removeStaleTemps, secretText, writeBeside, writeSecretTarget, type SecretTarget } from '../../platform/secret-target.js';
import type { SecretEvent, SecretKind } from '../../store/secrets.js';
import type { Store, Tx } from '../../store/store.js';
import type { AuditSink } from '../audit-sink.js';

export interface RotationRun {
  readonly target: SecretTarget;
  readonly opts: RotateOptions;
  readonly dryRun: boolean;
  readonly now: Date;
  readonly store: Store;
  readonly fingerprintKey: Uint8Array;
  readonly newSecret: () => string;
  /** Appends to the audit chain inside the store transaction that records the rotation. */
  readonly audit: AuditSink;
  /**
   * Something else that holds the same secret and must change with it (the JWT keyring's copy of an external
   * issuer's HS256 secret): applied inside the transaction that records the rotation, before the file is written.
   * Only with one NAME.
   */
  readonly linked?: ((tx: Tx, value: string) => Promise<void>) | undefined;
}

export interface ReportedSecret extends SecretPlan {
  /** Keyed fingerprint of the new value (never the value); absent on a dry run or a skip. */
  readonly fingerprint?: string;
  /** When this run rotated it (ISO 8601); absent on a dry run or a skip. */
  readonly rotatedAt?: string;
}

export interface RotationOutcome {
  readonly file: string;
  readonly kind: SecretKind;
  readonly changed: boolean;
  readonly written: boolean;
  readonly secrets: ReportedSecret[];
  readonly warnings: string[];
}

function events(run: RotationRun, kind: SecretKind, secrets: readonly ReportedSecret[]): SecretEvent[] {
  const at = run.now.toISOString();
  const out: SecretEvent[] = [];
  for (const s of secrets) {
    if (s.action !== 'skipped') out.push({ file: run.target.real, name: s.name, kind, action: s.action, fingerprint: s.fingerprint ?? null, at });
    if (s.previous === 'dropped') out.push({ file: run.target.real, name: s.name, kind, action: 'dropped-previous', fingerprint: null, at });
  }
  return out;
}

/** Records the events; a store failure after the file was written must say that the file did change. */
async function recordAfterWrite(run: RotationRun, evts: SecretEvent[]): Promise<void> {
  try {
    // One audit entry per event, in the same transaction: name, file and fingerprint — never a value.
    await run.store.transaction(async (tx) => {
      await tx.secrets.record(evts);
      for (const e of evts) await run.audit(tx, `secret.${e.action}`, { file: e.file, name: e.name, kind: e.kind, fingerprint: e.fingerprint });
    });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw runtimeError(`${run.target.given} was rotated, but the rotation could not be recorded in the store (${why}): check the store with agentsec doctor`, err);
  }
}

/**
 * A rotation whose value also lives elsewhere (see {@link RotationRun.linked}), in one store transaction: the linked
 * copy changes first, then the file is replaced (atomically, under its lock), then the rotation is recorded, and
 * the transaction commits. A failure before the commit leaves neither changed: the transaction rolls the linked
 * copy back, and the file was either not replaced or is put back. Should the commit itself fail after the file was
 * replaced, the old text is written back; only if that too fails does the error say the two disagree, and how to
 * mend it. The order keeps the dangerous half-state (a server reloading a secret the keyring does not know, so its
 * tokens stop verifying) out of every path but that last one.
 */
async function writeLinked(run: RotationRun, read: FileIdentity, oldText: string, newText: string, value: string | undefined, evts: SecretEvent[]): Promise<void> {
  const linked = run.linked as NonNullable<RotationRun['linked']>;
  let replaced = false;
  try {
    await run.store.transaction(async (tx) => {
      // Only a rotated value moves the linked copy; dropping an expired NAME_PREVIOUS does not.
      if (value !== undefined) await linked(tx, value);
      writeSecretTarget(run.target, read, newText);
      replaced = true;
      await tx.secrets.record(evts);
      for (const e of evts) await run.audit(tx, `secret.${e.action}`, { file: e.file, name: e.name, kind: e.kind, fingerprint: e.fingerprint });
    });
  } catch (err) {
    if (!replaced) throw err;
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    try {
      writeBeside(run.target.real, read, oldText);
    } catch {
      throw runtimeError(`${run.target.given} holds the new value, but the store could not record it (${why}) and the old file could not be put back: the linked copy still holds the old value: put the old value back (its NAME_PREVIOUS line, when kept) before reloading the server`, err);
    }
    throw runtimeError(`the rotation could not be recorded in the store (${why}): ${run.target.given} was put back as it was; nothing changed`, err);
  }
}

/**
 * Rotates names in a `.env` file: read, plan and write under the file's lock so that concurrent rotations of the
 * same file each see the other's result, then record the rotation in the store. Nothing is written on a dry run,
 * and a syntax error or a missing name leaves the file untouched.
 */
export async function rotateEnvFile(run: RotationRun, names: readonly string[]): Promise<RotationOutcome> {
  const lock = run.dryRun ? undefined : await acquireFileLock(run.target.real);
  try {
    if (lock) removeStaleTemps(run.target.real);
    // Read only now, under the lock, from a descriptor: the file may have been replaced while we waited for it.
    const read = readSecretTarget(run.target);
    const text = secretText(run.target, read);
    let doc;
    try {
      doc = parseEnv(text);
    } catch (err) {
      if (err instanceof EnvSyntaxError) throw usageError(`--dotenv ${run.target.given}: ${err.message}: fix it and retry (nothing was changed)`);
      throw err;
    }
    // Read under the lock too: a rotation that held it before us has recorded its time by now.
    const last = new Map<string, Date | undefined>();
    for (const n of names) last.set(n, await run.store.secrets.lastRotation(run.target.real, n));
    const plan = planEnvRotation(doc, names, run.opts, (n) => last.get(n), run.now, run.newSecret);
    const secrets: ReportedSecret[] = plan.secrets.map((s) => {
      const v = plan.values.get(s.name);
      return v !== undefined && !run.dryRun ? { ...s, fingerprint: fingerprintSecret(run.fingerprintKey, v), rotatedAt: run.now.toISOString() } : s;
    });
    const newText = serializeEnv(doc);
    // Belt and braces: the editor must produce a file that parses, or nothing is written.
    parseEnv(newText);
    const written = plan.changed && !run.dryRun;
    if (written && run.linked) {
      const rotated = plan.secrets.filter((s) => s.action !== 'skipped' && plan.values.has(s.name));
      if (names.length !== 1 || rotated.length > 1) throw usageError('a linked rotation takes exactly one NAME');
      const value = rotated[0] ? plan.values.get(rotated[0].name) : undefined;
      await writeLinked(run, read.identity, text, newText, value, events(run, 'env', secrets));
    } else if (written) {
      writeSecretTarget(run.target, read.identity, newText);
      await recordAfterWrite(run, events(run, 'env', secrets));
    }
    return { file: run.target.real, kind: 'env', changed: plan.changed, written, secrets, warnings: written ? modeWarning(run.target, read.identity) : [] };
  } finally {
    lock?.release();
  }
}

function exists(path: string): boolean {
  try {
    fs.lstatSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw ioError(err, path, 'read');
  }
}

/**
 * Rotates a Docker secrets file (the value alone). FILE.previous is written before the file itself, so a crash
 * between the two leaves the old value in both places, never a lost value.
 */
export async function rotateSecretFile(run: RotationRun): Promise<RotationOutcome> {
  const lock = run.dryRun ? undefined : await acquireFileLock(run.target.real);
  try {
    if (lock) removeStaleTemps(run.target.real);
    const read = readSecretTarget(run.target);
    const text = secretText(run.target, read);
    let content;
    try {
      content = parseSecretFile(text);
    } catch {
      throw usageError(`--secret-file ${run.target.given} has more than one line: a secrets file must hold only the value (nothing was changed)`);
    }
    const previousPath = `${run.target.real}.previous`;
    const name = basename(run.target.real);
    const p = planSecretFileRotation(name, content, exists(previousPath), run.opts, await run.store.secrets.lastRotation(run.target.real, name), run.now, run.newSecret);
    const secret: ReportedSecret = p.value !== undefined && !run.dryRun ? { ...p.plan, fingerprint: fingerprintSecret(run.fingerprintKey, p.value), rotatedAt: run.now.toISOString() } : p.plan;
    const changed = p.newText !== undefined || p.previousText !== undefined;
    const written = changed && !run.dryRun;
    if (written) {
      // FILE.previous holds the value read from the target: checked first, so it never gets a swapped file's content.
      assertUnchanged(run.target, read.identity);
      if (typeof p.previousText === 'string') writeBeside(previousPath, read.identity, p.previousText);
      if (p.newText !== undefined) writeSecretTarget(run.target, read.identity, p.newText);
      if (p.previousText === null) {
        try {
          fs.unlinkSync(previousPath);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(err, previousPath, 'write');
        }
      }
      await recordAfterWrite(run, events(run, 'secret-file', [secret]));
    }
    return { file: run.target.real, kind: 'secret-file', changed, written, secrets: [secret], warnings: written && p.newText !== undefined ? modeWarning(run.target, read.identity) : [] };
  } finally {
    lock?.release();
  }
}
