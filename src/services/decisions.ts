/**
 * agentsec's blocks as CrowdSec decisions: the lookup (`GET /v1/decisions`) and the per-bouncer stream
 * (`GET /v1/decisions/stream`), with the semantics of CrowdSec 1.4's local API. A decision's id is the id of the
 * block event that set its block (stable, kept by purge); a decision ends when its block expires or is lifted.
 * Read-only but for the bouncer's pull state. Called by the server; never prints.
 */
import { isActive, type BlockRecord } from '../core/blocks/block.js';
import { parseBlockTarget } from '../core/blocks/target.js';
import { toDecision, type Decision } from '../core/decisions/decision.js';
import { usageError } from '../core/errors.js';
import { ipKey, parseIp } from '../core/net/index.js';
import type { Repos, Store } from '../store/store.js';

export interface DecisionsDeps {
  readonly store: Store;
  readonly clock: () => Date;
}

/** The stream's answer; `null` for an empty list, as CrowdSec sends it. */
export interface StreamAnswer {
  readonly new: Decision[] | null;
  readonly deleted: Decision[] | null;
}

/** At startup, decisions that ended this recently are sent as deleted (a bouncer restarted mid-ban drops them). */
export const RECENT_DELETIONS_MS = 24 * 3_600_000;
/**
 * Later pulls send the expiries since the last pull and this much before it (CrowdSec: 2 s), so an expiry that fell
 * between a pull's clock read and its reads, or on a node whose clock runs behind, is never missed. Bouncers
 * tolerate the repeated delete.
 */
export const DELETION_OVERLAP_MS = 2000;
const EVENT_PAGE = 5000;

type Scopes = ReadonlySet<'ip' | 'range'>;

function nullIfEmpty(list: Decision[]): Decision[] | null {
  return list.length === 0 ? null : list;
}

async function decisionsOf(view: Repos, blocks: readonly BlockRecord[], now: number): Promise<Decision[]> {
  const ids = await view.blocks.blockEventIds(blocks.map((b) => b.value));
  const out: Decision[] = [];
  // A block with no kept block event (written around the service) has no stable id: it cannot be streamed safely.
  for (const b of blocks) {
    const id = ids.get(b.value);
    if (id !== undefined) out.push(toDecision(b, id, now));
  }
  return out;
}

async function fullSet(view: Repos, scopes: Scopes, now: number): Promise<StreamAnswer> {
  const fresh: Decision[] = [];
  for await (const page of view.blocks.active(now)) fresh.push(...(await decisionsOf(view, page.filter((b) => scopes.has(b.scope)), now)));
  const deleted = await decisionsOf(view, (await view.blocks.expiredBetween(now - RECENT_DELETIONS_MS, now)).filter((b) => scopes.has(b.scope)), now);
  // Lifted blocks are gone from the table: the newest history names them (bounded: startup is a courtesy, not a log).
  for (const e of await view.blocks.newestEvents(EVENT_PAGE)) {
    if (e.action !== 'unblock' || e.at < now - RECENT_DELETIONS_MS || !scopes.has(e.scope)) continue;
    const current = await view.blocks.get(e.value);
    if (current && isActive(current, now)) continue;
    const id = await view.blocks.blockEventBefore(e.value, e.id);
    if (id !== null) deleted.push(toDecision({ ...e, expiresAt: e.at }, id, now, e.at));
  }
  return { new: nullIfEmpty(fresh), deleted: nullIfEmpty(dedupe(deleted)) };
}

function dedupe(list: Decision[]): Decision[] {
  const seen = new Set<number>();
  return list.filter((d) => (seen.has(d.id) ? false : (seen.add(d.id), true)));
}

async function delta(view: Repos, scopes: Scopes, now: number, since: { at: number; eventId: number }, upTo: number): Promise<StreamAnswer> {
  const blocked = new Set<string>();
  const lifted: Array<{ id: number; value: string; at: number; scope: 'ip' | 'range'; reason: string | null; source: string }> = [];
  for (let after = since.eventId; after < upTo; ) {
    const events = await view.blocks.eventsAfter(after, EVENT_PAGE);
    if (events.length === 0) break;
    for (const e of events) {
      if (e.id > upTo) break;
      if (!scopes.has(e.scope)) continue;
      if (e.action === 'block') blocked.add(e.value);
      else lifted.push(e);
    }
    after = (events[events.length - 1] as { id: number }).id;
  }
  const current = new Map<string, BlockRecord | undefined>();
  const get = async (value: string) => {
    if (!current.has(value)) current.set(value, await view.blocks.get(value));
    return current.get(value);
  };
  const fresh: BlockRecord[] = [];
  for (const value of blocked) {
    const b = await get(value);
    if (b && isActive(b, now)) fresh.push(b);
  }
  const deleted: Decision[] = [];
  for (const e of lifted) {
    // Bouncers apply deletions before additions, or the other way round: never delete a value that is blocked now.
    const b = await get(e.value);
    if (b && isActive(b, now)) continue;
    const id = await view.blocks.blockEventBefore(e.value, e.id);
    if (id !== null) deleted.push(toDecision({ ...e, expiresAt: e.at }, id, now, e.at));
  }
  const expired = (await view.blocks.expiredBetween(since.at - DELETION_OVERLAP_MS, now)).filter((b) => scopes.has(b.scope));
  deleted.push(...(await decisionsOf(view, expired, now)));
  return { new: nullIfEmpty(await decisionsOf(view, fresh, now)), deleted: nullIfEmpty(dedupe(deleted)) };
}

/**
 * One stream pull by the bouncer `bouncerId`: with `startup` (or on its first pull, or when the history was replaced
 * under it) every active decision, and those ended within {@link RECENT_DELETIONS_MS} as deleted; otherwise what
 * changed since its last pull. Read on one snapshot; the pull state is stored after, so a pull that fails is
 * answered again in full by the next.
 */
export async function pullStream(d: DecisionsDeps, bouncerId: string, opts: { startup: boolean; scopes: Scopes }): Promise<StreamAnswer> {
  const now = d.clock().getTime();
  const state = opts.startup ? undefined : await d.store.serveCredentials.pullState(bouncerId);
  const { answer, upTo } = await d.store.snapshot(async (view) => {
    const upTo = await view.blocks.lastEventId();
    if (!state || state.eventId > upTo) return { answer: await fullSet(view, opts.scopes, now), upTo };
    return { answer: await delta(view, opts.scopes, now, state, upTo), upTo };
  });
  await d.store.transaction((tx) => tx.serveCredentials.setPullState(bouncerId, { at: now, eventId: upTo }));
  return answer;
}

/** The filters of `GET /v1/decisions`, as CrowdSec names them. */
export interface DecisionQuery {
  readonly ip?: string | undefined;
  readonly range?: string | undefined;
  readonly scope?: string | undefined;
  readonly value?: string | undefined;
  readonly type?: string | undefined;
  /** With `ip`/`range`: true (the default) for decisions containing it, false for those inside it. */
  readonly contains?: boolean | undefined;
}

/**
 * The active decisions matching `q`: for `ip=`, every block holding the address (its own and covering ranges), the
 * narrowest first. A bad `ip` or `range` is a usage error.
 */
export async function queryDecisions(d: DecisionsDeps, q: DecisionQuery): Promise<Decision[]> {
  const now = d.clock().getTime();
  const spot = q.ip ?? q.range;
  let blocks: BlockRecord[];
  if (spot !== undefined) {
    let start: string;
    let end: string;
    if (q.ip !== undefined) {
      const ip = parseIp(q.ip);
      if (!ip) throw usageError(`ip: '${q.ip.slice(0, 64)}' is not an IPv4 or IPv6 address`);
      start = end = ipKey(ip);
    } else {
      const t = parseBlockTarget(spot);
      if (!t.ok) throw usageError(`range: ${t.message}`);
      ({ start, end } = t.target);
    }
    if (q.contains === false) {
      blocks = [];
      for await (const page of d.store.blocks.active(now)) blocks.push(...page.filter((b) => b.start >= start && b.end <= end));
    } else blocks = await d.store.blocks.coveringAll(start, end, now);
  } else {
    blocks = [];
    for await (const page of d.store.blocks.active(now)) blocks.push(...page);
  }
  const scope = q.scope?.toLowerCase();
  const matching = blocks.filter((b) => (scope === undefined || b.scope === scope) && (q.value === undefined || b.value === q.value) && (q.type === undefined || q.type === 'ban'));
  return d.store.snapshot((view) => decisionsOf(view, matching, now));
}
