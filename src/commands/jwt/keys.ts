import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import type { KeyView } from '../../services/jwt.js';
import { completesArgs, dynamic } from '../../cli/completion-spec.js';

/** Lists signing keys with their status; never key material. */
export async function runKeys(ctx: Ctx): Promise<number> {
  const { openJwt, listKeys, keyView } = await import('../../services/jwt.js');
  const svc = await openJwt(ctx, { needKey: false });
  try {
    const now = ctx.clock().getTime();
    const views = (await listKeys(svc)).map((k) => keyView(k, now));
    if (ctx.out.json) {
      ctx.out.document({ keys: views });
      return ExitCode.Ok;
    }
    const c = ctx.out.chalk;
    ctx.out.table<KeyView>(
      [
        { header: 'KID', value: (k) => k.kid, keep: true },
        { header: 'ALG', value: (k) => k.alg, keep: true },
        { header: 'CREATED', value: (k) => k.createdAt, drop: 2 },
        { header: 'STATUS', value: (k) => k.status, style: (t) => (t === 'active' ? c.green(t) : t === 'retiring' ? c.yellow(t) : c.dim(t)), keep: true },
        { header: 'VERIFIES UNTIL', value: (k) => k.verifiesUntil ?? '-', drop: 1 },
        // An external key verifies another issuer's tokens and never signs: `active` alone would mislead.
        { header: 'ISSUER', value: (k) => (k.issuer === null ? 'agentsec' : `external:${k.issuer}`), drop: 3 },
      ],
      views,
    );
    if (views.length === 0) ctx.out.info('no JWT keys: run agentsec jwt keygen');
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

/** Stops a key signing; it keeps verifying until every token it signed has expired. */
export async function runRetire(ctx: Ctx, _opts: unknown, args: unknown[]): Promise<number> {
  const kid = String(args[0]);
  const { openJwt, retireKey, listKeys, keyView } = await import('../../services/jwt.js');
  const svc = await openJwt(ctx, { needKey: false, audit: true });
  try {
    const now = ctx.clock().getTime();
    const { key, changed } = await retireKey(svc, kid, now);
    const view = keyView(key, now);
    if (ctx.out.json) ctx.out.document({ ...view, changed });
    else ctx.out.line(`${view.kid}\t${view.status}`);
    if (!changed) ctx.out.info(`key ${kid} was already retired`);
    else ctx.out.success(view.status === 'retiring' ? `key ${kid} no longer signs; it verifies until ${view.verifiesUntil}` : `key ${kid} retired (it never signed a live token)`);
    if (!(await listKeys(svc)).some((k) => k.retiredAt === null)) ctx.out.warn('no active signing key is left: run agentsec jwt keygen before issuing tokens');
  } finally {
    await svc.close();
  }
  return ExitCode.Ok;
}

export function registerKeys(parent: Command, app: App): void {
  const keys = parent.command('keys').description('list signing keys (kid, alg, created, status active/retiring/retired)').action(action(app, runKeys));
  examples(keys, ['agentsec jwt keys', 'agentsec jwt keys --json | jq -r ".keys[] | select(.status==\\"active\\") | .kid"']);
  const retire = keys
    .command('retire')
    .description('stop a key signing; it verifies until its tokens expire, then leaves the JWKS')
    .argument('<kid>', 'the key id (see agentsec jwt keys)')
    .action(action(app, runRetire));
  completesArgs(retire, dynamic('jwt-kids'));
  examples(retire, ['agentsec jwt keys retire -- "$OLD_KID"   # -- because a thumbprint kid may start with -']);
}
