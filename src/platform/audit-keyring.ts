import * as fs from 'node:fs';
import { join } from 'node:path';
import { exportPrivateKey, importPrivateKey, type SigningKey } from '../core/audit/keys.js';
import { ensurePrivateDir, ioError, writeFileAtomic } from './fs.js';

/**
 * The audit chain's forward-secure signing keys: one file per epoch, `audit-keys/epoch-<n>.key` (PKCS#8, 0600).
 * Only the current epoch's key should exist; a key is overwritten and removed once its checkpoint is committed.
 * Naming files by epoch (rather than renaming one file) keeps a crash or a concurrent sealer from ever pairing a
 * committed checkpoint with the wrong key: the key for epoch n is the one checkpoint n-1 vouched for.
 */
export class AuditKeyring {
  readonly dir: string;

  constructor(home: string) {
    this.dir = join(home, 'audit-keys');
  }

  pathFor(epoch: number): string {
    return join(this.dir, `epoch-${epoch}.key`);
  }

  ensureDir(): void {
    ensurePrivateDir(this.dir);
  }

  /** Writes and fsyncs the key for `epoch` (replacing a leftover from a sealer that crashed before committing). */
  write(epoch: number, key: SigningKey): void {
    writeFileAtomic(this.pathFor(epoch), exportPrivateKey(key.privateKey));
  }

  /** Reads the key of `epoch`, saying why when it cannot: the writer must go on without it, not fail. */
  read(epoch: number): { ok: true; key: SigningKey } | { ok: false; reason: 'missing' | 'corrupt' | 'unreadable'; message: string } {
    const path = this.pathFor(epoch);
    let der: Buffer;
    try {
      // A secret file: never through a symlink planted in its place.
      const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      try {
        der = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'missing', message: `the audit signing key for epoch ${epoch} is missing (${path})` };
      return { ok: false, reason: 'unreadable', message: ioError(err, path, 'read').message };
    }
    try {
      return { ok: true, key: importPrivateKey(der) };
    } catch {
      return { ok: false, reason: 'corrupt', message: `the audit signing key ${path} is corrupt` };
    }
  }

  /** Overwrites and removes the key of a sealed epoch, so that a later intruder cannot re-sign it. */
  destroy(epoch: number): void {
    const path = this.pathFor(epoch);
    try {
      const fd = fs.openSync(path, 'r+');
      try {
        const size = fs.fstatSync(fd).size;
        fs.writeSync(fd, Buffer.alloc(size), 0, size, 0);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(err, path, 'write');
    }
  }

  /** Removes keys of epochs before `current` left behind by a crash between commit and destroy. */
  destroyBefore(current: number): void {
    for (const epoch of this.epochs()) if (epoch < current) this.destroy(epoch);
  }

  /** Removes every key but `keep`'s: after a rekey, keys of any other line (a newer backup's, say) belong to no chain. */
  destroyAllBut(keep: number): void {
    for (const epoch of this.epochs()) if (epoch !== keep) this.destroy(epoch);
  }

  private epochs(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const m = /^epoch-(\d+)\.key$/.exec(name);
      return m ? [Number(m[1])] : [];
    });
  }
}
