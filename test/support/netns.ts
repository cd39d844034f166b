import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT = join(dirname(fileURLToPath(import.meta.url)), 'netns-agent.js');

export interface ShResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a shell script inside a network namespace, with `path` (if given) first on PATH. */
export function nsh(ns: string, script: string, path?: string): ShResult {
  const env = { ...process.env, PATH: path ? `${path}:${process.env['PATH'] ?? ''}` : (process.env['PATH'] ?? '') };
  const r = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-ec', script], { encoding: 'utf8', env });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** Like {@link nsh}, but a failure throws with the script's stderr. */
export function nshOk(ns: string, script: string, path?: string): string {
  const r = nsh(ns, script, path);
  if (r.code !== 0) throw new Error(`in ${ns}: ${script.split('\n')[0]}… exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

/** Why network-namespace tests cannot run here (not root, no `ip netns`, a tool missing), or undefined. */
export function labUnavailable(tools: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  const missing = ['ip', ...tools].filter((t) => !have(t));
  if (missing.length) return `needs ${missing.join(', ')} (Debian: iproute2, iptables, nftables, ipset)`;
  const name = `as-probe-${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot create network namespaces: ${(r.stderr ?? '').trim()}`;
  spawnSync('ip', ['netns', 'del', name]);
  return undefined;
}

/** Addresses of the lab. The client holds two of each family: one the tests block, one they do not. */
export const LAB = {
  hostV4: '10.214.1.1',
  hostV6: 'fd14:1::1',
  clientV4: '10.214.1.2',
  blockedV4: '10.214.1.3',
  clientV6: 'fd14:1::2',
  blockedV6: 'fd14:1::3',
  ctrV4: '10.214.2.2',
  ctrV6: 'fd14:2::2',
  /** Served by the host itself. */
  hostPort: 8080,
  /** Published like a Docker port: DNAT in nat PREROUTING to the container's port 80, then FORWARD. */
  publishedPort: 8081,
} as const;

export interface Lab {
  readonly client: string;
  readonly host: string;
  readonly ctr: string;
  /** What each client address reaches: [host port, published port] per address, in LAB order (v4, blocked v4, v6, blocked v6). */
  probe(): Record<string, [string, string]>;
  stop(): void;
}

function waitReady(child: ChildProcess, what: string): Promise<void> {
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => rej(new Error(`${what} did not start: ${err}`)), 10_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        res();
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${what} exited ${code}: ${err}`));
    });
  });
}

/**
 * Three namespaces: a client, a host, and a "container" behind the host on its own bridge-like link, as Docker
 * runs one. The host serves a port itself and forwards another to the container (the caller adds the DNAT and
 * FORWARD rules, as Docker would, with the iptables it wants). IPv4 and IPv6, forwarding on.
 */
export async function createLab(tag: string): Promise<Lab> {
  const p = `as${process.pid % 100000}${tag}`;
  const client = `${p}-c`;
  const host = `${p}-h`;
  const ctr = `${p}-k`;
  const listeners: ChildProcess[] = [];
  const stop = () => {
    for (const l of listeners) if (l.exitCode === null && l.signalCode === null) l.kill('SIGKILL');
    for (const ns of [client, host, ctr]) spawnSync('ip', ['netns', 'del', ns]);
  };
  try {
    for (const ns of [client, host, ctr]) {
      const r = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ip netns add ${ns}: ${r.stderr}`);
    }
    const ip = (args: string) => {
      const r = spawnSync('sh', ['-ec', args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${args}: ${r.stderr}`);
    };
    // Interfaces are created inside the namespaces, so their names never meet another test's.
    ip(`ip -n ${host} link add hc type veth peer name eth0 netns ${client}
      ip -n ${host} link add hk type veth peer name eth0 netns ${ctr}
      for ns in ${client} ${host} ${ctr}; do ip -n $ns link set lo up; done
      ip -n ${host} addr add ${LAB.hostV4}/24 dev hc
      ip -n ${host} -6 addr add ${LAB.hostV6}/64 dev hc nodad
      ip -n ${host} addr add 10.214.2.1/24 dev hk
      ip -n ${host} -6 addr add fd14:2::1/64 dev hk nodad
      ip -n ${client} addr add ${LAB.clientV4}/24 dev eth0
      ip -n ${client} addr add ${LAB.blockedV4}/24 dev eth0
      ip -n ${client} -6 addr add ${LAB.clientV6}/64 dev eth0 nodad
      ip -n ${client} -6 addr add ${LAB.blockedV6}/64 dev eth0 nodad
      ip -n ${ctr} addr add ${LAB.ctrV4}/24 dev eth0
      ip -n ${ctr} -6 addr add ${LAB.ctrV6}/64 dev eth0 nodad
      ip -n ${host} link set hc up
      ip -n ${host} link set hk up
      ip -n ${client} link set eth0 up
      ip -n ${ctr} link set eth0 up
      ip -n ${ctr} route add default via 10.214.2.1
      ip -n ${ctr} -6 route add default via fd14:2::1
      ip netns exec ${host} sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1`);
    // Link-local IPv6 addresses are tentative until duplicate address detection ends (about 2 s): until then the
    // host cannot route to the container over IPv6.
    for (let i = 0; ; i++) {
      const tentative = [client, host, ctr].some((ns) => spawnSync('ip', ['-n', ns, '-6', 'addr', 'show', 'tentative'], { encoding: 'utf8' }).stdout.trim() !== '');
      if (!tentative) break;
      if (i === 100) throw new Error('IPv6 addresses still tentative after 10 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [ns, port, name] of [[host, LAB.hostPort, 'host'], [ctr, 80, 'ctr']] as const) {
      const l = spawn('ip', ['netns', 'exec', ns, process.execPath, AGENT, 'listen', String(port), name], { stdio: ['ignore', 'pipe', 'pipe'] });
      listeners.push(l);
      await waitReady(l, `listener in ${ns}`);
    }
  } catch (err) {
    stop();
    throw err;
  }
  const probe = () => {
    const from = [LAB.clientV4, LAB.blockedV4, LAB.clientV6, LAB.blockedV6];
    const probes = from.flatMap((f) => {
      const to = f.includes(':') ? LAB.hostV6 : LAB.hostV4;
      return [{ from: f, to, port: LAB.hostPort }, { from: f, to, port: LAB.publishedPort }];
    });
    const r = spawnSync('ip', ['netns', 'exec', client, process.execPath, AGENT, 'probe', JSON.stringify(probes)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
    const got = JSON.parse(r.stdout) as string[];
    return Object.fromEntries(from.map((f, i) => [f, [got[2 * i], got[2 * i + 1]] as [string, string]]));
  };
  return { client, host, ctr, probe, stop };
}
