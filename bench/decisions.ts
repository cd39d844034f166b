import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBlockTarget } from '../src/core/blocks/target.js';
import { decisionsEndpoint } from '../src/server/decisions/endpoint.js';
import { blockIn, blocksOn } from '../src/services/blocks.js';
import { startEndpoints } from '../test/support/endpoint-server.js';
import { BIN, type Bench, type Row } from './lib.js';

const DECISIONS = 10_000;
const SECONDS = 10;
const CONNECTIONS = 64;

interface WrkResult {
  readonly rps: number;
  readonly p99Ms: number;
}

/**
 * wrk against `url` (headers from a Lua script, so no key is on argv): requests/s and p99 latency. Spawned
 * asynchronously: the servers measured run in this process.
 */
function wrk(url: string, script: string): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-s', script, url]);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${err.trim()}`));
      if (/Non-2xx/.test(out)) return reject(new Error(`wrk saw error answers: ${out}`));
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
      const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
      resolve({ rps, p99Ms });
    });
  });
}

function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  return fn().then(() => Number(process.hrtime.bigint() - t0) / 1e6);
}

/**
 * The CrowdSec-compatible decision API with 10,000 active decisions: `GET /v1/decisions?ip=` under wrk (64
 * connections), beside a bare node:http server answering 200 in the same run (the floor); and the time of a full
 * stream pull (startup=true) and of an empty delta. For scale, the issue measured CrowdSec 1.4.6's own LAPI at
 * 515–680 req/s for the same lookup with 10,000 decisions.
 */
export const decisionsBench: Bench = {
  name: 'decision API (10,000 decisions, wrk)',
  async run() {
    if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0) throw new Error('wrk is not installed (Debian package wrk)');
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-decisions-'));
    const home = join(dir, 'h');
    const env = { ...process.env, AGENTSEC_HOME: home };
    try {
      if (spawnSync(process.execPath, [BIN, 'init', '-q'], { env }).status !== 0) throw new Error('init failed');
      const added = spawnSync(process.execPath, [BIN, '--json', 'serve', 'bouncer', 'add', 'bench'], { env, encoding: 'utf8' });
      const key = (JSON.parse(added.stdout) as { key: string }).key;
      const server = await startEndpoints({ home, endpoints: [decisionsEndpoint] });
      const floor = createServer((_req, res) => res.end('ok'));
      try {
        const d = await blocksOn(server.rt, server.store);
        const now = Date.now();
        await server.store.transaction(async (tx) => {
          for (let i = 0; i < DECISIONS; i++) {
            const t = parseBlockTarget(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
            if (!t.ok) throw new Error('bad target');
            await blockIn(d, tx, t.target, { expiresAt: now + 4 * 3_600_000, reason: 'bench', source: 'bench', now });
          }
        });
        const script = join(dir, 'key.lua');
        writeFileSync(script, `wrk.headers["X-Api-Key"] = "${key}"\n`, { mode: 0o600 });
        const empty = join(dir, 'none.lua');
        writeFileSync(empty, '\n');
        await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));
        const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`;
        const base = await wrk(floorUrl, empty);
        const hit = await wrk(`${server.url}/v1/decisions?ip=10.0.19.136`, script);
        const miss = await wrk(`${server.url}/v1/decisions?ip=192.0.2.1`, script);
        const pull = (startup: boolean) => fetch(`${server.url}/v1/decisions/stream?startup=${startup}`, { headers: { 'x-api-key': key } }).then((r) => r.text());
        await pull(true); // warm-up: statements prepared, code compiled
        const full = await timeMs(() => pull(true));
        const delta = await timeMs(() => pull(false));
        const rows: Row[] = [
          { label: 'bare node:http 200 (floor)', value: Math.round(base.rps), unit: 'req/s' },
          { label: `GET /v1/decisions?ip= (blocked, p99 ${hit.p99Ms.toFixed(1)} ms)`, value: Math.round(hit.rps), unit: 'req/s', ratio: hit.rps / base.rps },
          { label: `GET /v1/decisions?ip= (not blocked, p99 ${miss.p99Ms.toFixed(1)} ms)`, value: Math.round(miss.rps), unit: 'req/s', ratio: miss.rps / base.rps },
          { label: `stream startup=true (${DECISIONS} decisions)`, value: Math.round(full), unit: 'ms' },
          { label: 'stream delta, nothing new', value: Math.round(delta * 10) / 10, unit: 'ms' },
        ];
        return { name: this.name, rows, notes: [`${CONNECTIONS} connections, ${SECONDS}s each, one process; CrowdSec 1.4.6's LAPI: 515-680 req/s for the lookup (issue 16)`] };
      } finally {
        floor.close();
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
