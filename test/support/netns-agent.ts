// Runs inside a network namespace (through `ip netns exec`), for the firewall tests:
//   listen PORT NAME    a TCP server on every address (IPv4 and IPv6) that writes NAME and closes; prints "ready"
//   probe JSON          connects [{ from, to, port }] in parallel and prints what each got: NAME, or "timeout"
//                       (the SYN was dropped), or "error:CODE"
import { connect, createServer } from 'node:net';

interface Probe {
  readonly from: string;
  readonly to: string;
  readonly port: number;
}

// Long enough for a loaded machine to answer, short enough to wait for dropped SYNs in every test.
const TIMEOUT_MS = 1500;

function probe(p: Probe): Promise<string> {
  return new Promise((res) => {
    let data = '';
    const s = connect({ host: p.to, port: p.port, localAddress: p.from });
    const timer = setTimeout(() => {
      s.destroy();
      res('timeout');
    }, TIMEOUT_MS);
    s.setEncoding('utf8');
    s.on('data', (d: string) => (data += d));
    s.on('end', () => {
      clearTimeout(timer);
      s.destroy();
      res(data.trim() || 'empty');
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      res(`error:${e.code ?? e.message}`);
    });
  });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'listen') {
  const [port, name] = args;
  const server = createServer((s) => {
    s.on('error', () => {});
    s.end(`${name ?? ''}\n`);
  });
  server.listen({ port: Number(port), host: '::', ipv6Only: false }, () => process.stdout.write('ready\n'));
} else if (mode === 'probe') {
  const probes = JSON.parse(args[0] ?? '[]') as Probe[];
  process.stdout.write(JSON.stringify(await Promise.all(probes.map(probe))));
} else {
  process.stderr.write('usage: netns-agent listen PORT NAME | probe JSON\n');
  process.exitCode = 2;
}
