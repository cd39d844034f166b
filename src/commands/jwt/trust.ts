import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { IssuerView } from '../../services/jwt.js';
import { collect } from './input.js';

export interface TrustOptions {
  jwks?: string;
  issuer?: string;
  audience?: string[];
  name?: string;
}

const TEXT = /^[^\u0000-\u001f\u007f]{1,512}$/;

/**
 * Reads the JWKS file without following a symlink at any instant: a link swapped in by whoever can write its
 * directory would otherwise choose which keys agentsec trusts.
 */
async function readJwksFile(ctx: Ctx, file: string): Promise<string> {
  const [{ resolve }, { readNoFollow, UnsafeFileError }, { ioError }] = await Promise.all([import('node:path'), import('../../platform/no-follow.js'), import('../../platform/fs.js')]);
  const path = resolve(ctx.io.cwd, file);
  let bytes: Buffer;
  try {
    bytes = readNoFollow(path).bytes;
  } catch (err) {
    if (err instanceof UnsafeFileError) throw usageError(`--jwks ${file} is ${err.reason === 'symlink' ? 'a symlink' : err.reason === 'hard-links' ? 'a file with several hard links' : 'not a regular file'}: pass the real file (nothing was imported)`);
    throw ioError(err, path, 'read');
  }
  if (bytes.length > 1_000_000) throw usageError(`--jwks ${file} is larger than 1 MB: not a JWKS`);
  return bytes.toString('utf8');
}

/** Trusts (or refreshes) an identity provider's published keys from a saved JWKS file. */
export async function runTrust(ctx: Ctx, opts: TrustOptions): Promise<number> {
  if (opts.jwks === undefined) throw usageError('--jwks FILE is required: the IdP\'s published keys, saved from its jwks_uri (see agentsec jwt trust list for what is trusted)');
  if (opts.issuer === undefined) throw usageError('--issuer URL is required: the iss the IdP puts in its tokens (its tokens for other realms must not verify)');
  if (opts.audience === undefined || opts.audience.length === 0) throw usageError('--audience is required: an IdP signs tokens for many clients, and only those naming this one may verify');
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(opts.issuer);
  } catch {
    throw usageError(`--issuer: '${opts.issuer.slice(0, 80)}' is not a URL (e.g. https://sso.example.com/realms/agents)`);
  }
  if (issuerUrl.protocol !== 'https:' && issuerUrl.protocol !== 'http:') throw usageError('--issuer: use the https:// URL the IdP names as iss');
  for (const a of opts.audience) if (!TEXT.test(a)) throw usageError('--audience: give 1-512 printable characters');
  const { checkIssuerName, defaultIssuerName, openJwt, trustJwks } = await import('../../services/jwt.js');
  const name = checkIssuerName(opts.name ?? defaultIssuerName(opts.issuer), '--name');
  const { parseTrustedJwks } = await import('../../core/jwt/jwks-trust.js');
  const parsed = parseTrustedJwks(await readJwksFile(ctx, opts.jwks), `--jwks ${opts.jwks}`);
  const svc = await openJwt(ctx, { needKey: false, audit: true });
  try {
    const r = await trustJwks(svc, { name, issuer: opts.issuer, audience: opts.audience, jwks: parsed }, ctx.clock().getTime());
    if (ctx.out.json) ctx.out.document({ ...r });
    else ctx.out.line(name);
    for (const s of r.skipped) ctx.out.info(`skipped key ${s.kid}: ${s.why}`);
    ctx.out.success(`trusting ${opts.issuer} as '${name}': ${r.added.length} key(s) added, ${r.removed.length} removed, ${r.kept.length} unchanged`);
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

/** Lists external issuers (trusted JWKS and shared HS256 secrets) with their keys; never key material. */
export async function runTrustList(ctx: Ctx): Promise<number> {
  const { openJwt, listIssuers } = await import('../../services/jwt.js');
  const svc = await openJwt(ctx, { needKey: false });
  try {
    const issuers = await listIssuers(svc, ctx.clock().getTime());
    if (ctx.out.json) {
      ctx.out.document({ issuers });
      return ExitCode.Ok;
    }
    ctx.out.table<IssuerView>(
      [
        { header: 'NAME', value: (i) => i.name, keep: true },
        { header: 'KIND', value: (i) => i.kind, keep: true },
        { header: 'ISSUER', value: (i) => i.issuer ?? '-', drop: 2 },
        { header: 'AUDIENCE', value: (i) => (i.audience ?? []).join(',') || '-', drop: 1 },
        { header: 'KEYS', value: (i) => i.keys.map((k) => `${k.kid}(${k.alg}${k.status === 'active' ? '' : `,${k.status}`})`).join(' '), keep: true },
      ],
      issuers,
    );
    if (issuers.length === 0) ctx.out.info('no external issuers: agentsec jwt trust --jwks FILE --issuer URL --audience A, or jwt keygen --external');
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

/** Stops trusting an external issuer: its keys stop verifying at once. */
export async function runTrustRemove(ctx: Ctx, _opts: unknown, args: unknown[]): Promise<number> {
  const name = String(args[0]);
  const { openJwt, removeIssuer } = await import('../../services/jwt.js');
  const svc = await openJwt(ctx, { needKey: false, audit: true });
  try {
    const r = await removeIssuer(svc, name);
    if (ctx.out.json) ctx.out.document({ name, removedKeys: r.removedKeys });
    else ctx.out.line(name);
    ctx.out.success(`'${name}' is no longer trusted (${r.removedKeys} key(s) removed)`);
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

export function registerTrust(parent: Command, app: App): void {
  const trust = parent
    .command('trust')
    .description("trust an identity provider's published keys (a saved JWKS file; run again to refresh it): kid lookup, alg pinned per key, iss and aud enforced")
    .option('--jwks <file>', "the IdP's JWKS document, saved from its jwks_uri (public keys only; a symlink is refused)")
    .option('--issuer <url>', 'the iss its tokens carry (required)')
    .option('--audience <aud>', 'an aud its tokens must name (required, repeatable)', collect)
    .option('--name <name>', 'what to call it (default: the issuer URL host and path)')
    .action(action(app, runTrust));
  examples(trust, [
    'agentsec jwt trust --jwks ./jwks.json --issuer https://sso.example.com/realms/agents --audience agent-api',
    'agentsec jwt trust --name keycloak --jwks /etc/agentsec/keycloak-jwks.json --issuer https://sso.example.com/realms/agents --audience agent-api   # cron, after fetching the file',
  ]);
  const list = trust.command('list').description('list external issuers (trusted JWKS and shared HS256 secrets) and their keys').action(action(app, runTrustList));
  examples(list, ['agentsec jwt trust list --json | jq -r ".issuers[].name"']);
  const remove = trust
    .command('remove')
    .description("stop trusting an external issuer: its keys stop verifying at once")
    .argument('<name>', 'the issuer name (see agentsec jwt trust list)')
    .action(action(app, runTrustRemove));
  examples(remove, ['agentsec jwt trust remove keycloak']);
}
