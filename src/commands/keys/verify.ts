import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { parseApiKey } from '../../core/apikeys/format.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { IpAddress } from '../../core/net/index.js';
import { API_KEY_ENV, readKeyInput } from './key-input.js';
import { collect, parseClientIp, parseScopes, roleNameHint } from './options.js';
import { count } from '../../output/plural.js';

export interface VerifyOptions {
  ip?: string;
  scope?: string[];
  keyFile?: string;
}

/**
 * Answers one code for a presented key; exit 0 only for VALID, 1 for every negative verdict, 2 for input that is
 * not an agentsec key at all. With --ip, a failed authentication (anything but VALID and INSUFFICIENT_SCOPE, which is
 * a valid key asking for too much) is counted by the blocks policy.
 */
export async function runVerify(ctx: Ctx, opts: VerifyOptions): Promise<number> {
  const ip = parseClientIp(opts.ip);
  const scopes = parseScopes(opts.scope ?? []);
  const { key, source } = await readKeyInput(ctx, opts.keyFile);
  const shape = parseApiKey(key);
  if (!shape.ok && shape.reason === 'format') {
    throw usageError(`the API key from ${source} is not in agentsec format (<prefix>_<body>_<checksum>)`);
  }
  let result: import('../../core/apikeys/verify.js').VerifyResult;
  let failure: import('../../services/blocks.js').FailureOutcome | undefined;
  // A failed authentication counts; INSUFFICIENT_SCOPE is a valid key asking for too much.
  const counted = (r: typeof result): boolean => !r.valid && r.code !== 'INSUFFICIENT_SCOPE';
  if (!shape.ok) {
    // A checksum failure is answered offline: no master key, no lookup (the store opens only to count it, with --ip).
    result = { code: 'MALFORMED', valid: false };
    if (ip && counted(result)) {
      const { openBlocksStore } = await import('../../services/blocks.js');
      const opened = await openBlocksStore(ctx);
      try {
        failure = await countFailure(ctx, opened.store, ip, `api key ${result.code}`);
      } finally {
        await opened.close();
      }
    }
  } else {
    const { openKeys, verifyStoredKey } = await import('../../services/keys.js');
    const keys = await openKeys(ctx);
    try {
      result = await verifyStoredKey(keys, key, { ip, scopes, now: ctx.clock().getTime() });
      if (result.key) roleWarnings(ctx, result, keys.roles?.table);
      if (ip && counted(result)) failure = await countFailure(ctx, keys.store, ip, `api key ${result.code}`);
    } finally {
      await keys.close();
    }
  }
  if (ctx.out.json) {
    ctx.out.document({ ...result, ...(failure ? { blocks: failure } : {}) });
  } else {
    ctx.out.line(result.code);
    if (result.key) {
      const k = result.key;
      ctx.out.pairs([
        ['id', k.id],
        ['name', k.name],
        ['role', k.role ?? '-'],
        ['scopes', k.scopes.length ? k.scopes.join(', ') : '-'],
        ['permissions', k.permissions.join(', ')],
        ['expires', k.expiresAt ?? '-'],
        ...(result.missingScopes ? [['missing', result.missingScopes.join(', ')] as const] : []),
      ]);
    }
  }
  if (failure?.outcome === 'blocked') ctx.out.warn(`${failure.ip} is now blocked (${count(failure.failures, 'failure')})`);
  return result.valid ? ExitCode.Ok : ExitCode.Negative;
}

/** Says why a key's role gave less than its name suggests: a role config.yaml no longer defines, the admin trap. */
function roleWarnings(ctx: Ctx, result: import('../../core/apikeys/verify.js').VerifyResult, roles: import('../../core/apikeys/permissions.js').RoleTable | undefined): void {
  const k = result.key;
  if (!k || k.role === null || !roles) return;
  if (!roles.has(k.role)) ctx.out.warn(`key ${k.id} has role '${k.role}', which config.yaml no longer defines under roles: it grants no permissions until the role is defined again`);
  const hint = roleNameHint(k.role, result.missingScopes ?? [], roles);
  if (hint) ctx.out.warn(hint);
}

type OpenStore = import('../../services/keys.js').KeysDeps['store'];

/**
 * Counts a failed verification against the client address in the blocks policy, in a transaction of the store the
 * check ran on. The time is read under the write lock, as every recorded failure's is.
 */
async function countFailure(ctx: Ctx, store: OpenStore, ip: IpAddress, reason: string): Promise<import('../../services/blocks.js').FailureOutcome> {
  const { blocksOn, recordFailureIn } = await import('../../services/blocks.js');
  const blocks = await blocksOn(ctx, store);
  return store.transaction((tx) => recordFailureIn(blocks, tx, ip, 'auth', { at: blocks.clock().getTime(), source: 'keys.verify', reason }));
}

export function registerVerify(parent: Command, app: App): void {
  const cmd = parent
    .command('verify')
    .description(`check a key (stdin, --key-file, ${API_KEY_ENV} or a masked prompt on a TTY): VALID, MALFORMED, NOT_FOUND, REVOKED, EXPIRED, FORBIDDEN_IP, INSUFFICIENT_SCOPE`)
    .option('--ip <ip>', "the client's address (required to pass a key with an IP allowlist)")
    .option('--scope <perm>', 'a permission the key must hold, resource:action[:target] (repeatable)', collect)
    .option('--key-file <file>', 'read the key from this file instead of stdin')
    .action(action(app, runVerify));
  examples(cmd, [
    'printf %s "$KEY" | agentsec keys verify --scope memory:read',
    'printf %s "$KEY" | agentsec keys verify --scope memory:write:agent-x',
    'agentsec keys verify --key-file ./bot.key --ip 203.0.113.7 --json',
    `${API_KEY_ENV}="$KEY" agentsec keys verify && echo ok`,
  ]);
}
