import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';

interface ListedUser {
  readonly user: string;
  readonly id: string;
  readonly status: 'pending' | 'active' | 'locked';
  readonly issuer: string;
  readonly algorithm: string;
  readonly digits: number;
  readonly period: number;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly lockedUntil: string | null;
  readonly backupCodesLeft: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Lists TOTP users with status, algorithm, dates and backup codes left. Never a seed, never a code or hash. */
export async function runList(ctx: Ctx): Promise<number> {
  const { openTotp, listUsers } = await import('../../services/totp.js');
  const { isLocked } = await import('../../core/totp/lockout.js');
  const totp = await openTotp(ctx, { needKey: false });
  let users: ListedUser[];
  const now = ctx.clock().getTime();
  try {
    users = (await listUsers(totp)).map(({ user: u, backupCodesLeft }) => ({
      user: u.name,
      id: u.id,
      status: u.status === 'pending' ? 'pending' : isLocked(u.lockedUntil, now) ? 'locked' : 'active',
      issuer: u.issuer,
      algorithm: u.algorithm,
      digits: u.digits,
      period: u.period,
      createdAt: iso(u.createdAt) as string,
      lastUsedAt: iso(u.lastUsedAt),
      lockedUntil: isLocked(u.lockedUntil, now) ? iso(u.lockedUntil) : null,
      backupCodesLeft,
    }));
  } finally {
    await totp.close();
  }
  if (ctx.out.json) {
    ctx.out.document({ users });
    return ExitCode.Ok;
  }
  const c = ctx.out.chalk;
  const short = (t: string | null) => (t === null ? '-' : t.replace(/\.\d{3}Z$/, 'Z'));
  ctx.out.table<ListedUser>(
    [
      { header: 'USER', value: (u) => u.user },
      { header: 'STATUS', value: (u) => u.status, style: (t) => (t === 'active' ? c.green(t) : t === 'locked' ? c.red(t) : c.yellow(t)) },
      { header: 'ALGORITHM', value: (u) => `${u.algorithm}/${u.digits}/${u.period}s` },
      { header: 'CREATED', value: (u) => short(u.createdAt) },
      { header: 'LAST USED', value: (u) => short(u.lastUsedAt) },
      { header: 'BACKUP CODES', value: (u) => (u.status === 'pending' ? '-' : String(u.backupCodesLeft)) },
    ],
    users,
  );
  if (users.length === 0) ctx.out.info('no TOTP users: enroll one with agentsec totp enroll USER');
  return ExitCode.Ok;
}

export function registerList(parent: Command, app: App): void {
  const cmd = parent
    .command('list')
    .description('list TOTP users: status (pending/active/locked), algorithm, dates, backup codes left; never seeds')
    .action(action(app, (ctx) => runList(ctx)));
  examples(cmd, ['agentsec totp list', 'agentsec totp list --json | jq ".users[] | select(.status == \\"locked\\")"']);
}
