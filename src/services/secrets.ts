/**
 * Secrets: rotation in place in `.env` and Docker secrets files (under the file's lock, recorded with a keyed
 * fingerprint, never the value), and the age and strength of every tracked secret. Called by the `secret` commands;
 * never prints.
 */
import { deriveSubkey, type RandomSource } from '../core/crypto/seal.js';
import { getValue, parseEnv, type EnvDocument } from '../core/secrets/env-file.js';
import { fingerprintSecret, FINGERPRINT_PURPOSE } from '../core/secrets/fingerprint.js';
import { parseSecretFile } from '../core/secrets/rotation.js';
import { isSecretEntry } from '../core/secrets/secret-name.js';
import { secretStatus, type SecretStatusRow, type StatusInput } from '../core/secrets/status.js';
import { readNoFollow } from '../platform/no-follow.js';
import type { SecretTarget } from '../platform/secret-target.js';
import type { Store } from '../store/store.js';
import type { AuditSink } from './audit-sink.js';
import type { Runtime } from './runtime.js';

export { rotateEnvFile, rotateSecretFile, type ReportedSecret, type RotationOutcome, type RotationRun } from './secrets/rotation.js';

export interface SecretsService {
  readonly store: Store;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  readonly random: RandomSource;
  /** The master key's subkey for keyed fingerprints of secret values. */
  readonly fingerprintKey: Buffer;
  close(): Promise<void>;
}

/** Opens the store and derives the fingerprint subkey. The caller closes it in `finally`. */
export async function openSecrets(rt: Runtime): Promise<SecretsService> {
  const store = await rt.store();
  try {
    const master = await rt.masterKey();
    const fingerprintKey = deriveSubkey(master, FINGERPRINT_PURPOSE);
    master.fill(0);
    const { auditSink } = await import('./audit.js');
    const audit = await auditSink(rt, store);
    return {
      store,
      audit,
      clock: rt.clock,
      random: rt.random,
      fingerprintKey,
      close: async () => {
        fingerprintKey.fill(0);
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Current value of a tracked secret, read best-effort: a file that vanished or broke makes it `missing`. */
function currentValue(kind: 'env' | 'secret-file', file: string, name: string, cache: Map<string, EnvDocument | string | null>): string | undefined {
  if (!cache.has(file)) {
    let loaded: EnvDocument | string | null = null;
    try {
      // Never through a symlink or a second hard link: the tracked file's directory may be writable by its service's
      // user, who must not get us to read (and report on) another file. Such a file is reported as missing.
      const text = readNoFollow(file).bytes.toString('utf8');
      loaded = kind === 'env' ? parseEnv(text) : parseSecretFile(text).value;
    } catch {
      loaded = null;
    }
    cache.set(file, loaded);
  }
  const doc = cache.get(file);
  if (doc === null || doc === undefined) return undefined;
  return typeof doc === 'string' ? doc : getValue(doc, name);
}

/**
 * The status of every tracked secret (or only those of `only`, a `.env` already read and parsed, plus its secret
 * names agentsec never rotated): age, overdue, weak, changed outside agentsec.
 */
export async function secretStatusRows(s: Pick<SecretsService, 'store' | 'clock' | 'fingerprintKey'>, opts: { maxAgeMs: number; only?: { target: SecretTarget; doc: EnvDocument } }): Promise<SecretStatusRow[]> {
  const target = opts.only?.target;
  const doc = opts.only?.doc;
  const tracked = (await s.store.secrets.tracked()).filter((t) => !target || t.file === target.real);
  const cache = new Map<string, EnvDocument | string | null>();
  if (target && doc) cache.set(target.real, doc);
  const inputs: StatusInput[] = tracked.map((t) => ({
    file: t.file,
    name: t.name,
    kind: t.kind,
    lastRotatedAt: t.lastRotatedAt,
    storedFingerprint: t.fingerprint,
    value: currentValue(t.kind, t.file, t.name, cache),
  }));
  if (target && doc) {
    const seen = new Set(tracked.map((t) => t.name));
    for (const line of doc.lines) {
      if (line.kind !== 'entry' || seen.has(line.key)) continue;
      seen.add(line.key);
      // Only secrets: a setting such as PASSWORD_MIN_LENGTH=12 or OAUTH_ENABLED=true is not a weak secret.
      const value = getValue(doc, line.key) as string;
      if (!isSecretEntry(line.key, value)) continue;
      inputs.push({ file: target.real, name: line.key, kind: 'env', lastRotatedAt: null, storedFingerprint: null, value });
    }
  }
  const now = s.clock();
  return inputs.map((i) => secretStatus(i, now, opts.maxAgeMs, (v) => fingerprintSecret(s.fingerprintKey, v)));
}
