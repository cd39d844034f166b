import * as fs from 'node:fs';
import { constantTimeEqual, keyCheck, systemRandom, type RandomSource } from '../core/crypto/seal.js';
import { AgentsecError, ExitCode, usageError } from '../core/errors.js';
import { assertPrivate, ioError, writeFileAtomic } from './fs.js';
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

function readPrivate(path: string): Buffer {
  assertPrivate(path, 'file');
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw ioError(err, path, 'read');
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
