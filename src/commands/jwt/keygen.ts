import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { isJwtAlg, JWT_ALGS, MIN_HMAC_SECRET_BYTES } from '../../core/jwt/algs.js';
import { readFileSync } from 'node:fs';
import { ioError } from '../../platform/fs.js';
import { choiceOption } from '../../cli/choice.js';

export interface KeygenOptions {
  alg?: string;
  secretFile?: string;
}

/**
 * Reads an HS256 secret to import. The file's bytes are the secret (binary is fine), except one trailing newline that
 * editors and `echo` add; it must be ≥ 32 bytes, the only check possible on imported material.
 */
function readSecretFile(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const e = ioError(err, path, 'read');
    throw new AgentsecError(e.message.replace(/^cannot read/, 'cannot read secret file'), e.exitCode);
  }
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end -= bytes[end - 2] === 0x0d ? 2 : 1;
  const secret = Buffer.from(bytes.subarray(0, end));
  bytes.fill(0);
  return secret;
}

/** Generates a signing key (the newest active key signs); prints its kid. */
export async function runKeygen(ctx: Ctx, opts: KeygenOptions): Promise<number> {
  const alg = opts.alg ?? 'EdDSA';
  if (!isJwtAlg(alg)) throw usageError(`--alg: '${alg.slice(0, 32)}' is not supported: use ${JWT_ALGS.join(', ')}`);
  let imported: Buffer | undefined;
  if (opts.secretFile !== undefined) {
    if (alg !== 'HS256') throw usageError('--secret-file is only for --alg HS256');
    imported = readSecretFile(opts.secretFile);
    if (imported.length < MIN_HMAC_SECRET_BYTES) {
      imported.fill(0);
      throw usageError(`--secret-file ${opts.secretFile}: the secret is shorter than ${MIN_HMAC_SECRET_BYTES} bytes: use agentsec jwt keygen --alg HS256 to generate one`);
    }
  }
  const { openJwt } = await import('../../jwt/open.js');
  const { keyView } = await import('../../jwt/service.js');
  const svc = await openJwt(ctx, { audit: true });
  try {
    const now = ctx.clock().getTime();
    const key = await svc.keygen(alg, now, imported);
    if (ctx.out.json) ctx.out.document({ ...keyView(key, now), publicJwk: key.publicJwk });
    else ctx.out.line(key.kid);
    ctx.out.success(`generated ${alg} key ${key.kid}; it now signs new tokens`);
  } finally {
    imported?.fill(0);
    svc.close();
  }
  return ExitCode.Ok;
}

export function registerKeygen(parent: Command, app: App): void {
  const cmd = parent
    .command('keygen')
    .description('generate a signing key (stored encrypted under the master key); the newest active key signs')
    .addOption(choiceOption('--alg <alg>', 'signing algorithm (default EdDSA)', JWT_ALGS))
    .option('--secret-file <file>', 'HS256 only: import this secret (at least 32 bytes) instead of generating one')
    .action(action(app, runKeygen));
  examples(cmd, ['agentsec jwt keygen', 'agentsec jwt keygen --alg ES256 --json', 'agentsec jwt keygen --alg HS256 --secret-file ./jwt.secret']);
}
