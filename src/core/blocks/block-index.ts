import { ipKey, networkOf, type IpAddress } from '../net/index.js';
import { isActive, type BlockRecord } from './block.js';
import { parseBlockTarget } from './target.js';

interface RangeGroup {
  readonly version: 4 | 6;
  readonly prefix: number;
  readonly byNetwork: Map<number | string, BlockRecord>;
}

function v4Number(bytes: Uint8Array): number {
  return (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0;
}

function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * The current blocks in memory, for lookups at hundreds of thousands per second: a hash map of single addresses
 * plus one hash map per distinct (version, prefix) of ranges, so a lookup costs one probe per prefix length in
 * use, whatever the number of blocks. Expired blocks are skipped at lookup time: nothing has to run at expiry.
 */
export class BlockIndex {
  private readonly exact4 = new Map<number, BlockRecord>();
  private readonly exact6 = new Map<string, BlockRecord>();
  private groups: RangeGroup[] = [];
  private readonly byValue = new Map<string, BlockRecord>();

  get size(): number {
    return this.byValue.size;
  }

  clear(): void {
    this.exact4.clear();
    this.exact6.clear();
    this.groups = [];
    this.byValue.clear();
  }

  /** The block with this value, active or not. */
  get(value: string): BlockRecord | undefined {
    return this.byValue.get(value);
  }

  /** Adds or replaces the block for `b.value`. */
  set(b: BlockRecord): void {
    this.delete(b.value);
    const t = parseBlockTarget(b.value);
    if (!t.ok) return;
    const { target } = t;
    const net = parseNetwork(target.value);
    if (!net) return;
    this.byValue.set(b.value, b);
    if (target.scope === 'ip') {
      if (target.version === 4) this.exact4.set(v4Number(net.bytes), b);
      else this.exact6.set(ipKey(net), b);
      return;
    }
    let g = this.groups.find((x) => x.version === target.version && x.prefix === target.prefix);
    if (!g) {
      g = { version: target.version, prefix: target.prefix, byNetwork: new Map() };
      // Most specific first, so the first active match is the narrowest covering block.
      this.groups = [...this.groups, g].sort((a, c) => c.prefix - a.prefix);
    }
    g.byNetwork.set(target.version === 4 ? v4Number(net.bytes) : ipKey(net), b);
  }

  delete(value: string): void {
    const old = this.byValue.get(value);
    if (!old) return;
    this.byValue.delete(value);
    const t = parseBlockTarget(value);
    const net = t.ok ? parseNetwork(t.target.value) : undefined;
    if (!t.ok || !net) return;
    if (t.target.scope === 'ip') {
      if (t.target.version === 4) this.exact4.delete(v4Number(net.bytes));
      else this.exact6.delete(ipKey(net));
      return;
    }
    const g = this.groups.find((x) => x.version === t.target.version && x.prefix === t.target.prefix);
    g?.byNetwork.delete(t.target.version === 4 ? v4Number(net.bytes) : ipKey(net));
    if (g && g.byNetwork.size === 0) this.groups = this.groups.filter((x) => x !== g);
  }

  /**
   * The narrowest active block covering `ip` at `now`, if any. Blocks whose value is in `skip` are passed over: an open
   * transaction that changed them looks them up in its own, newer, view.
   */
  lookup(ip: IpAddress, now: number, skip?: ReadonlySet<string>): BlockRecord | undefined {
    if (ip.version === 4) {
      const n = v4Number(ip.bytes);
      const hit = this.exact4.get(n);
      if (hit && isActive(hit, now) && !skip?.has(hit.value)) return hit;
      for (const g of this.groups) {
        if (g.version !== 4) continue;
        const b = g.byNetwork.get((n & v4Mask(g.prefix)) >>> 0);
        if (b && isActive(b, now) && !skip?.has(b.value)) return b;
      }
      return undefined;
    }
    const hit = this.exact6.get(ipKey(ip));
    if (hit && isActive(hit, now) && !skip?.has(hit.value)) return hit;
    for (const g of this.groups) {
      if (g.version !== 6) continue;
      const b = g.byNetwork.get(ipKey(networkOf(ip, g.prefix)));
      if (b && isActive(b, now) && !skip?.has(b.value)) return b;
    }
    return undefined;
  }
}

/**
 * Of two blocks that both cover one address, the narrower: CIDR blocks covering one address are nested, so the
 * narrower starts later, or at the same key and ends earlier (keys are fixed-width sortable text: core/net/range.ts).
 */
export function narrower(a: BlockRecord, b: BlockRecord): BlockRecord {
  if (a.start !== b.start) return a.start > b.start ? a : b;
  return a.end <= b.end ? a : b;
}

function parseNetwork(value: string): IpAddress | undefined {
  const slash = value.indexOf('/');
  const t = parseBlockTarget(slash < 0 ? value : value.slice(0, slash));
  if (!t.ok) return undefined;
  const hex = t.target.start.slice(2);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return { version: t.target.version, bytes };
}
