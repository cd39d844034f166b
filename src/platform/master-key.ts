import * as fs from 'node:fs';
import { constantTimeEqual, keyCheck, systemRandom, type RandomSource } from '../core/crypto/seal.js';
import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import { formatMode, ioError, writeFileAtomic } from './fs.js';
import { openNoFollow, readAll, UnsafeFileError, type FileIdentity } from './no-follow.js';
import type { HomePaths } from './paths.js';

export const PASSPHRASE_ENV = 'AGENTSEC_PASSPHRASE';

// argon2id for a key that protects everything else: well above OWASP's floor (19 MiB, t=2), still under a second.
const KDF_PARAMS = { memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

interface SaltFile {
  v: 1;
  kdf: 'argon2id';
  m: number;
  t: number;
  p: number;
  salt: string;
  check: string;
}

export type MasterKeyMode = 'key-file' | 'passphrase';

export function masterKeyMode(paths: HomePaths): MasterKeyMode | undefined {
  if (fs.existsSync(paths.masterKey)) return 'key-file';
  if (fs.existsSync(paths.masterSalt)) return 'passphrase';
  return undefined;
}

async function derive(passphrase: string, salt: SaltFile): Promise<Buffer> {
  const argon2 = await import('argon2');
  return argon2.hash(passphrase, {
    type: argon2.argon2id,
    raw: true,
    salt: Buffer.from(salt.salt, 'base64'),
    memoryCost: salt.m,
    timeCost: salt.t,
    parallelism: salt.p,
    hashLength: 32,
  });
}

/** Creates master.key (32 random bytes) or, when a passphrase is given, master.salt. Never both. */
export async function createMasterKey(paths: HomePaths, passphrase: string | undefined, random: RandomSource = systemRandom): Promise<MasterKeyMode> {
  if (passphrase === undefined) {
    writeFileAtomic(paths.masterKey, random(32));
    return 'key-file';
  }
  if (passphrase.length < 12) throw usageError(`${PASSPHRASE_ENV} is too short: use at least 12 characters`);
  const base: Omit<SaltFile, 'check'> = {
    v: 1,
    kdf: 'argon2id',
    m: KDF_PARAMS.memoryCost,
    t: KDF_PARAMS.timeCost,
    p: KDF_PARAMS.parallelism,
    salt: random(16).toString('base64'),
  };
  const key = await derive(passphrase, { ...base, check: '0'.repeat(64) });
  writeFileAtomic(paths.masterSalt, `${JSON.stringify({ ...base, check: keyCheck(key) })}\n`);
  key.fill(0);
  return 'passphrase';
}

/**
 * Reads a key file: not through a symlink, and checked (a regular file we own, mode without group or other bits) on
 * the descriptor it is read from, so that the file judged private is the file read.
 */
function readPrivate(path: string): Buffer {
  let opened: { fd: number; identity: FileIdentity };
  try {
    opened = openNoFollow(path, { singleLink: false });
  } catch (err) {
    if (err instanceof UnsafeFileError) {
      throw usageError(`key file ${path} is ${err.reason === 'symlink' ? 'a symlink' : 'not a regular file'}: agentsec reads its key files only as plain files in the home; put the file itself there`);
    }
    throw ioError(err, path, 'read');
  }
  try {
    const { identity } = opened;
    const uid = process.getuid?.();
    if (uid !== undefined && identity.uid !== uid) throw usageError(`file ${path} is owned by another user: run agentsec as its owner, or chown it`);
    if ((identity.mode & 0o077) !== 0) throw new AgentsecError(`file ${path} is accessible by others (mode ${formatMode(identity.mode & 0o777)}): run chmod 600 ${path}`, ExitCode.Usage);
    return readAll(opened.fd);
  } catch (err) {
    if (err instanceof AgentsecError) throw err;
    throw ioError(err, path, 'read');
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** Loads the master key, from master.key or by deriving it from AGENTSEC_PASSPHRASE and master.salt. */
export async function loadMasterKey(paths: HomePaths, env: Readonly<Record<string, string | undefined>>): Promise<Buffer> {
  const mode = masterKeyMode(paths);
  if (mode === undefined) throw usageError(`no master key in ${paths.home}: run agentsec init`);
  if (mode === 'key-file') {
    const key = readPrivate(paths.masterKey);
    if (key.length !== 32) throw new AgentsecError(`master key ${paths.masterKey} is corrupt (${key.length} bytes, expected 32): restore it from backup`, ExitCode.Runtime);
    return key;
  }
  const salt = await parseSaltFile(readPrivate(paths.masterSalt).toString('utf8'), paths.masterSalt);
  const passphrase = env[PASSPHRASE_ENV];
  if (!passphrase) throw usageError(`this home's master key is derived from a passphrase: set ${PASSPHRASE_ENV}`);
  const key = await derive(passphrase, salt);
  if (!constantTimeEqual(keyCheck(key), salt.check)) throw usageError(`wrong ${PASSPHRASE_ENV} for ${paths.home}`);
  return key;
}

export async function parseSaltFile(text: string, path: string): Promise<SaltFile> {
  // zod is loaded only here: it costs more start-up time than the rest of the CLI.
  const { z } = await import('zod');
  const saltFileSchema = z.object({
    v: z.literal(1),
    kdf: z.literal('argon2id'),
    m: z.number().int().min(8192),
    t: z.number().int().min(1),
    p: z.number().int().min(1),
    salt: z.string().min(16),
    check: z.string().regex(/^[0-9a-f]{64}$/),
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AgentsecError(`master salt ${path} is not valid JSON: restore it from backup`, ExitCode.Runtime);
  }
  const parsed = saltFileSchema.safeParse(json);
  if (!parsed.success) throw new AgentsecError(`master salt ${path} is malformed: restore it from backup`, ExitCode.Runtime);
  return parsed.data;
}
