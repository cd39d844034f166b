/**
 * `agentsec serve` under wrk on loopback, every number against a floor measured in the same run: a bare node:http
 * server answering 200 (another process, one core, like agentsec), and nginx serving a static file without and with
 * auth_request to agentsec. Goals (issue 16): /auth with a cached key at least 0.8x the floor in req/s with p99 under
 * 5 ms at 64 connections; a blocked address at least as fast as the floor; RSS flat over the run.
 *
 * BENCH_SERVE_SECONDS sets each run's length (default 10; the memory goal speaks of 60).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, nginxBinary, startNginx } from '../test/support/nginx.js';
import { startServe } from '../test/support/serve.js';
import { BIN, ROOT, type Bench, type Row } from './lib.js';

interface WrkResult {
  readonly rps: number;
  readonly p99Ms: number;
  readonly non2xx: number;
}

const SECONDS = Number(process.env['BENCH_SERVE_SECONDS'] ?? 10);
const CONNECTIONS = 64;

function toMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

function wrk(url: string, headers: Record<string, string>, seconds = SECONDS): WrkResult {
  const args = ['-t', '2', '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const r = spawnSync('wrk', [...args, url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(r.stdout)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  return { rps, p99Ms: p99, non2xx };
}

const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

async function floorServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=commonjs', '-e', `require('http').createServer((q, s) => s.writeHead(200, {'Content-Length': '0'}).end()).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1', () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

export const serveBench: Bench = {
  name: 'serve (forward auth under wrk, 64 connections)',
  async run() {
    if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0) return { name: 'serve', rows: [], notes: ['wrk is not installed (Debian package wrk): skipped'] };
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-serve-'));
    const home = join(dir, 'h');
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, '--home', home, ...args], { encoding: 'utf8', cwd: ROOT });
    const rows: Row[] = [];
    const notes: string[] = [];
    const stop: Array<() => Promise<unknown> | void> = [];
    try {
      if (cli(['init']).status !== 0) throw new Error('init failed');
      const key = cli(['keys', 'issue', '--name', 'bench', '--role', 'operator']).stdout.trim();
      cli(['jwt', 'keygen']);
      const token = (JSON.parse(cli(['--json', 'jwt', 'issue', '--sub', 'bench', '--scope', 'memory:read', '--ttl', '1h']).stdout || '{}') as { accessToken?: string }).accessToken;
      cli(['blocks', 'add', '203.0.113.66', '--for', '1d']);

      const floorPort = await freePort();
      const floor = await floorServer(floorPort);
      stop.push(() => void floor.kill());
      const base = wrk(`http://127.0.0.1:${floorPort}/`, {});
      rows.push({ label: 'bare node:http 200 (floor)', value: base.rps, unit: 'req/s' }, { label: '  p99', value: base.p99Ms, unit: 'ms' });

      const s = await startServe(['--home', home, 'serve', '--listen', '127.0.0.1:0']);
      stop.push(() => s.stop());
      const pid = s.child.pid as number;
      const auth = `${s.url}/auth`;
      const orig = { 'X-Original-URI': '/v1/memories/1', 'X-Original-Method': 'GET' };
      wrk(auth, { ...orig, 'X-API-Key': key }, 2);
      const rssStart = rssKb(pid);
      const k = wrk(auth, { ...orig, 'X-API-Key': key });
      rows.push({ label: '/auth valid API key (cached)', value: k.rps, unit: 'req/s', ratio: k.rps / base.rps, goal: '>= 0.8x', pass: k.rps / base.rps >= 0.8 });
      rows.push({ label: '  p99', value: k.p99Ms, unit: 'ms', goal: '< 5 ms', pass: k.p99Ms < 5 });
      if (k.non2xx > 0) notes.push(`valid key run had ${k.non2xx} non-2xx answers`);
      if (token) {
        const j = wrk(auth, { ...orig, Authorization: `Bearer ${token}` });
        rows.push({ label: '/auth valid JWT (cached)', value: j.rps, unit: 'req/s', ratio: j.rps / base.rps }, { label: '  p99', value: j.p99Ms, unit: 'ms' });
      } else notes.push('could not issue a JWT: the JWT row is missing');
      const b = wrk(auth, { ...orig, 'X-API-Key': key, 'X-Forwarded-For': '203.0.113.66' });
      rows.push({ label: '/auth blocked IP (403)', value: b.rps, unit: 'req/s', ratio: b.rps / base.rps, goal: '>= 1.0x', pass: b.rps / base.rps >= 1 });
      rows.push({ label: '  p99', value: b.p99Ms, unit: 'ms' });
      const rssEnd = rssKb(pid);
      rows.push({ label: 'agentsec RSS after warm-up', value: rssStart / 1024, unit: 'MiB' });
      rows.push({ label: 'agentsec RSS at the end', value: rssEnd / 1024, unit: 'MiB', ratio: rssEnd / rssStart, goal: '<= 1.2x (flat)', pass: rssEnd / rssStart <= 1.2 });

      if (nginxBinary()) {
        const html = join(dir, 'html');
        mkdirSync(join(html, 'open'), { recursive: true });
        mkdirSync(join(html, 'protected'), { recursive: true });
        writeFileSync(join(html, 'open', 'index.html'), 'ok\n');
        writeFileSync(join(html, 'protected', 'index.html'), 'ok\n');
        const port = await freePort();
        const snippets = join(ROOT, 'examples', 'serve', 'nginx');
        const agentsecPort = new URL(s.url).port;
        const nginx = await startNginx(
          dir,
          `  upstream agentsec { server 127.0.0.1:${agentsecPort}; keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    root ${html};
    include ${snippets}/agentsec-auth.conf;
    location /open/ { }
    location /protected/ {
      auth_request /_agentsec/auth;
      include ${snippets}/agentsec-identity.conf;
    }
  }`,
          port,
        );
        stop.push(() => nginx.stop());
        const open = wrk(`http://127.0.0.1:${port}/open/index.html`, {});
        const prot = wrk(`http://127.0.0.1:${port}/protected/index.html`, { 'X-API-Key': key });
        rows.push({ label: 'nginx static file', value: open.rps, unit: 'req/s', ratio: open.rps / base.rps }, { label: '  p99', value: open.p99Ms, unit: 'ms' });
        rows.push({ label: 'nginx static + auth_request -> agentsec', value: prot.rps, unit: 'req/s', ratio: prot.rps / open.rps }, { label: '  p99', value: prot.p99Ms, unit: 'ms' });
        notes.push('the nginx auth_request ratio is against nginx serving the same file without auth');
        if (prot.non2xx > 0) notes.push(`auth_request run had ${prot.non2xx} non-2xx answers`);
      } else notes.push('nginx is not installed: the nginx rows are missing');
      notes.push(`${SECONDS} s per run, wrk -t2 -c${CONNECTIONS}, on a 2-core machine shared with other work: the ratios are the numbers to read`);
      return { name: 'serve (forward auth under wrk, 64 connections)', rows, notes };
    } finally {
      for (const f of stop.reverse()) await f();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
