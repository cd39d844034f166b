import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';
import { isJwtAlg, JWT_ALGS, MIN_HMAC_SECRET_BYTES } from '../../core/jwt/algs.js';
import { choiceOption } from '../../cli/choice.js';
import { collect } from './input.js';

export interface KeygenOptions {
  alg?: string;
  secretFile?: string;
  allowWeak?: boolean;
  external?: string;
  issuer?: string;
  audience?: string[];
}

/**
 * Reads an HS256 secret to import. The file's bytes are the secret (binary is fine), except one trailing newline that
 * editors and `echo` add. Read like every secrets file: without following a symlink swapped in for it, and not
 * through a second hard link (see secret-target.ts), so a run as root imports only the file named.
 */
async function readSecretFile(ctx: Ctx, path: string): Promise<Buffer> {
  const { readSecretTarget, resolveSecretTarget } = await import('../../platform/secret-target.js');
  let bytes: Buffer;
  try {
    bytes = readSecretTarget(resolveSecretTarget(path, ctx.io.cwd, '--secret-file')).bytes;
  } catch (err) {
    if (err instanceof AgentsecError) throw new AgentsecError(err.message.replace(/^cannot read/, 'cannot read secret file'), err.exitCode, { cause: err });
    throw err;
  }
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end -= bytes[end - 2] === 0x0d ? 2 : 1;
  const secret = Buffer.from(bytes.subarray(0, end));
  bytes.fill(0);
  return secret;
}

/**
 * Refuses an imported secret that `secret check` would call weak: a template or vendor default (many are longer than
 * 32 bytes: `your-super-secret-jwt-key-change-in-production`), or one with little entropy (`aaaa…`). Text is judged as
 * the text it is; bytes that are not UTF-8 (a binary secret) one character per byte.
 */
async function refuseWeak(secret: Buffer, file: string): Promise<void> {
  const { assessSecret, describeReason } = await import('../../core/secrets/strength.js');
  const utf8 = secret.toString('utf8');
  const text = Buffer.from(utf8, 'utf8').equals(secret) ? utf8 : secret.toString('latin1');
  const r = assessSecret(text);
  if (!r.weak) return;
  throw usageError(`--secret-file ${file}: the secret is weak (${r.reasons.map(describeReason).join(', ')}): generate one with agentsec jwt keygen --alg HS256, or pass --allow-weak`);
}

const TEXT = /^[^\u0000-\u001f\u007f]{1,512}$/;
function claimText(value: string, flag: string): string {
  if (!TEXT.test(value)) throw usageError(`${flag}: give 1-512 printable characters`);
  return value;
}

/** Generates a signing key (the newest active key signs); prints its kid. */
export async function runKeygen(ctx: Ctx, opts: KeygenOptions): Promise<number> {
  const alg = opts.alg ?? 'EdDSA';
  if (!isJwtAlg(alg)) throw usageError(`--alg: '${alg.slice(0, 32)}' is not supported: use ${JWT_ALGS.join(', ')}`);
  let imported: Buffer | undefined;
  if (opts.allowWeak && opts.secretFile === undefined) throw usageError('--allow-weak applies to --secret-file only: a generated secret is never weak');
  if (opts.secretFile !== undefined) {
    if (alg !== 'HS256') throw usageError('--secret-file is only for --alg HS256');
    imported = await readSecretFile(ctx, opts.secretFile);
    try {
      // The length floor stays even with --allow-weak: below 32 bytes HS256 is not HS256 as RFC 7518 §3.2 defines it.
      if (imported.length < MIN_HMAC_SECRET_BYTES) {
        throw usageError(`--secret-file ${opts.secretFile}: the secret is shorter than ${MIN_HMAC_SECRET_BYTES} bytes: use agentsec jwt keygen --alg HS256 to generate one`);
      }
      if (!opts.allowWeak) await refuseWeak(imported, opts.secretFile);
    } catch (err) {
      imported.fill(0);
      throw err;
    }
  }
  if (opts.external === undefined && (opts.issuer !== undefined || opts.audience !== undefined)) throw usageError('--issuer and --audience apply to --external keys only: agentsec\'s own come from config.yaml jwt:');
  const { openJwt, keygen, keyView, checkIssuerName } = await import('../../services/jwt.js');
  let external: { name: string; issuer?: string; audience?: string[] } | undefined;
  if (opts.external !== undefined) {
    if (alg !== 'HS256' || opts.secretFile === undefined) {
      imported?.fill(0);
      throw usageError('--external needs --alg HS256 and --secret-file: the secret the other server signs with (an IdP\'s keys: agentsec jwt trust --jwks)');
    }
    external = { name: checkIssuerName(opts.external, '--external'), ...(opts.issuer !== undefined ? { issuer: claimText(opts.issuer, '--issuer') } : {}), ...(opts.audience !== undefined ? { audience: opts.audience.map((a) => claimText(a, '--audience')) } : {}) };
  }
  const svc = await openJwt(ctx, { audit: true });
  try {
    const now = ctx.clock().getTime();
    const key = await keygen(svc, alg, now, imported, external);
    if (ctx.out.json) ctx.out.document({ ...keyView(key, now), publicJwk: key.publicJwk });
    else ctx.out.line(key.kid);
    if (external) ctx.out.success(`imported the secret of external issuer '${external.name}' from ${opts.secretFile}; it verifies that server's kid-less tokens and never signs`);
    else ctx.out.success(`${imported ? `imported ${alg} key ${key.kid} from ${opts.secretFile}` : `generated ${alg} key ${key.kid}`}; it now signs new tokens`);
  } finally {
    imported?.fill(0);
    await svc.close();
  }
  return ExitCode.Ok;
}

export function registerKeygen(parent: Command, app: App): void {
  const cmd = parent
    .command('keygen')
    .description('generate a signing key (stored encrypted under the master key); the newest active key signs')
    .addOption(choiceOption('--alg <alg>', 'signing algorithm (default EdDSA)', JWT_ALGS))
    .option('--secret-file <file>', 'HS256 only: import this secret (at least 32 bytes, not weak) instead of generating one')
    .option('--allow-weak', 'with --secret-file: import a secret that secret check calls weak (a known default, low entropy)')
    .option('--external <name>', "the secret belongs to another server: verify its kid-less tokens (typ JWT) with it, never sign")
    .option('--issuer <iss>', 'with --external: the iss its tokens must carry')
    .option('--audience <aud>', 'with --external: an aud its tokens must name (repeatable)', collect)
    .action(action(app, runKeygen));
  examples(cmd, ['agentsec jwt keygen', 'agentsec jwt keygen --alg ES256 --json', 'agentsec jwt keygen --alg HS256 --secret-file ./jwt.secret', 'agentsec jwt keygen --alg HS256 --secret-file /run/secrets/jwt_secret --external agentmem --issuer agentmem']);
}
