import * as fs from 'node:fs';
import { join } from 'node:path';
import { exportPrivateKey, importPrivateKey, type SigningKey } from '../core/audit/keys.js';
import { AgentsecError, ExitCode } from '../core/errors.js';
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

  exists(epoch: number): boolean {
    return fs.existsSync(this.pathFor(epoch));
  }

  load(epoch: number): SigningKey {
    const path = this.pathFor(epoch);
    let der: Buffer;
    try {
      der = fs.readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AgentsecError(`the audit signing key for epoch ${epoch} is missing (${path}): the chain cannot be sealed any more; keep appending and run agentsec audit verify`, ExitCode.Runtime);
      }
      throw ioError(err, path, 'read');
    }
    try {
      return importPrivateKey(der);
    } catch {
      throw new AgentsecError(`the audit signing key ${path} is corrupt`, ExitCode.Runtime);
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
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = /^epoch-(\d+)\.key$/.exec(name);
      if (m && Number(m[1]) < current) this.destroy(Number(m[1]));
    }
  }
}
