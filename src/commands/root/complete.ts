import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { action, type App } from '../../cli/command.js';
import { DYNAMIC_SOURCES, type DynamicSource } from '../../cli/completion-spec.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { inspectMode } from '../../platform/fs.js';

type Candidate = readonly [value: string, description: string];

/** One line a candidate, `value<TAB>description`, without control characters (names come from the store). */
function line(c: Candidate): string {
  // eslint-disable-next-line no-control-regex
  const clean = (t: string) => t.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `${clean(c[0])}\t${clean(c[1])}\n`;
}

/**
 * The values the store holds for a dynamic completion. Read-only and without the master key: nothing here is
 * secret (ids, kids, user names, blocked addresses), nothing is migrated or audited, and a home that others can
 * read or write is not read at all (as every other command refuses it).
 */
async function fromStore(ctx: Ctx, source: Exclude<DynamicSource, 'lint-rules' | 'roles'>): Promise<Candidate[]> {
  const home = inspectMode(ctx.paths.home);
  if (!home.exists || !home.ownedByUs || home.openToOthers || !existsSync(ctx.paths.db)) return [];
  const store = await ctx.store({ readonly: true, migrate: false });
  try {
    const now = ctx.clock().getTime();
    switch (source) {
      case 'key-ids':
        return (await store.keys.list({ all: false, now })).map((k) => [k.id, `${k.name}${k.role ? ` (${k.role})` : ''}`]);
      case 'jwt-kids':
        return (await store.jwt.keys()).filter((k) => k.retiredAt === null).map((k) => [k.kid, k.alg]);
      case 'totp-users':
        return (await store.totp.list()).map((u) => [u.name, u.status]);
      case 'blocks':
        return (await store.blocks.list({ all: false, now })).map((b) => [b.value, b.reason ?? b.source]);
    }
  } finally {
    await store.close();
  }
}

/** The role table of the home's config.yaml (the built-ins without one), each role with its permissions. */
async function roles(ctx: Ctx): Promise<Candidate[]> {
  const { rolesOf } = await import('../../services/roles.js');
  const { table } = rolesOf(await ctx.config());
  return [...table].map(([name, perms]) => [name, perms.join(' ')]);
}

/**
 * `agentsec __complete SOURCE [PREFIX]`: what the shell completions ask for values that live in the home (key ids,
 * JWT kids, TOTP users, blocked values, roles) or in the rule registry (lint rule ids). Hidden from help. It never fails
 * loudly: a TAB must not fill the terminal with errors, so any problem gives no candidates and exit 0.
 */
export async function runComplete(ctx: Ctx, source: string, prefix: string): Promise<number> {
  if (!(DYNAMIC_SOURCES as readonly string[]).includes(source)) return ExitCode.Usage;
  let candidates: Candidate[] = [];
  try {
    if (source === 'lint-rules') {
      const { ruleRows } = await import('../lint/rules.js');
      candidates = ruleRows().map((r) => [r.id, r.title]);
    } else if (source === 'roles') {
      candidates = await roles(ctx);
    } else candidates = await fromStore(ctx, source as Exclude<DynamicSource, 'lint-rules' | 'roles'>);
  } catch {
    candidates = [];
  }
  ctx.io.stdout.write(candidates.filter(([v]) => v.startsWith(prefix)).map(line).join(''));
  return ExitCode.Ok;
}

export function registerComplete(program: Command, app: App): void {
  program
    .command('__complete', { hidden: true })
    .description('print completion candidates for the shell scripts (value<TAB>description)')
    .argument('<source>', DYNAMIC_SOURCES.join(', '))
    .argument('[prefix]', 'only candidates that start with this', '')
    .action(action(app, (ctx, _opts, args) => runComplete(ctx, String(args[0]), String(args[1] ?? ''))));
}
