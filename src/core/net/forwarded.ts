/**
 * The client address of a request that may have crossed reverse proxies, read the way nginx's `real_ip_recursive on`
 * reads it: start from the peer that connected, and walk `X-Forwarded-For` from the right for as long as the hop in
 * hand is a trusted proxy. The first untrusted hop is the client.
 *
 * Why from the right: every proxy appends the address it saw, so only the right-most entries were written by
 * machines we trust; anything further left was written by the client and can say anything. Taking the left-most
 * entry (as many apps do) lets any client choose the address that gets blocked or allowed.
 */
import { anyCidrContains, parseCidr, type Cidr } from './cidr.js';
import { checkIp, formatIp, type IpAddress } from './ip.js';

/** The result: the client's canonical address, and how it was found (for logs and for `--json` explanations). */
export type ForwardedClient =
  | {
      readonly ok: true;
      /** Canonical text (see `formatIp`). */
      readonly ip: string;
      readonly address: IpAddress;
      /** `peer` when the connecting address is the client; `forwarded` when it came from the header. */
      readonly source: 'peer' | 'forwarded';
      /** Trusted hops walked over (0 when the peer itself is the client). */
      readonly hops: number;
    }
  | {
      readonly ok: false;
      /** `bad-peer`: the socket address is not an IP address; `bad-forwarded`: a hop we had to read is garbage. */
      readonly reason: 'bad-peer' | 'bad-forwarded';
      readonly message: string;
    };

/** One entry of `X-Forwarded-For`, as proxies write it: an address, maybe `[v6]`, maybe `v4:port` or `[v6]:port`. */
function parseHop(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const direct = checkIp(t);
  if (direct.ok) return direct.ip;
  // `[2001:db8::1]:8080` and `203.0.113.7:51234`: a port is added by some balancers (Azure, some Envoy setups).
  const bracketed = /^\[([^\]]+)\]:\d{1,5}$/.exec(t);
  if (bracketed) {
    const r = checkIp(bracketed[1] as string);
    return r.ok ? r.ip : undefined;
  }
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(t);
  if (v4port) {
    const r = checkIp(v4port[1] as string);
    return r.ok && r.ip.version === 4 ? r.ip : undefined;
  }
  return undefined;
}

/**
 * Splits one or several `X-Forwarded-For` header values into hops, left to right. Several header lines are one list
 * in order (RFC 9110 §5.3). Returns undefined when the header is absent or empty.
 */
export function forwardedHops(values: string | readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const all = typeof values === 'string' ? [values] : values;
  const hops: string[] = [];
  for (const v of all) for (const part of v.split(',')) if (part.trim() !== '') hops.push(part.trim());
  return hops.length > 0 ? hops : undefined;
}

/** Most hops read from one header: a longer chain is a hostile or broken client, and walking it costs CPU. */
export const MAX_FORWARDED_HOPS = 32;

/**
 * The client address of a request.
 *
 * - `peer` is the address of the connection (the socket's remote address, or the address column of a log line).
 * - `forwardedFor` is the raw `X-Forwarded-For` value(s), or undefined.
 * - `trusted` are the proxies whose `X-Forwarded-For` is believed.
 *
 * When the peer is not trusted, the header is ignored whatever it says. When every hop is trusted (a request from
 * the balancer itself), the left-most hop is the client, as nginx does. A garbage hop reached during the walk fails
 * the whole lookup: it was written by a trusted proxy, so the chain is broken, and guessing would block or allow the
 * wrong address.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | readonly string[] | undefined,
  trusted: readonly Cidr[],
): ForwardedClient {
  const p = checkIp(peer);
  if (!p.ok) return { ok: false, reason: 'bad-peer', message: `the peer address is not an IP address (${p.reason})` };
  const peerIp = p.ip;
  if (trusted.length === 0 || !anyCidrContains(trusted, peerIp)) {
    return { ok: true, ip: formatIp(peerIp), address: peerIp, source: 'peer', hops: 0 };
  }
  const hops = forwardedHops(forwardedFor);
  if (!hops) return { ok: true, ip: formatIp(peerIp), address: peerIp, source: 'peer', hops: 0 };
  if (hops.length > MAX_FORWARDED_HOPS) {
    return { ok: false, reason: 'bad-forwarded', message: `X-Forwarded-For has more than ${MAX_FORWARDED_HOPS} hops` };
  }
  let walked = 0;
  let last: IpAddress = peerIp;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i] as string);
    if (!hop) return { ok: false, reason: 'bad-forwarded', message: 'X-Forwarded-For holds an entry that is not an IP address' };
    walked++;
    last = hop;
    if (!anyCidrContains(trusted, hop)) return { ok: true, ip: formatIp(hop), address: hop, source: 'forwarded', hops: walked };
  }
  return { ok: true, ip: formatIp(last), address: last, source: 'forwarded', hops: walked };
}

/** Loopback, trusted as a proxy by default: the reverse proxy usually runs on the same host. */
export const LOOPBACK_CIDRS: readonly Cidr[] = ['127.0.0.0/8', '::1/128'].map((text) => {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(`bad built-in network ${text}`);
  return r.cidr;
});
