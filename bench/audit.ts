import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../src/services/audit.js';
import type { AuditEvent } from '../src/core/audit/entry.js';
import { AuditKeyring } from '../src/platform/audit-keyring.js';
import { openStore } from '../src/store/open.js';
import { appendAudit, closeAuditStores } from '../src/lib/audit.js';
import { BIN, ROOT, type Bench, type Row } from './lib.js';

const ENTRIES = Number(process.env['AGENTSEC_BENCH_AUDIT_ENTRIES'] ?? 1_000_000);

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

async function timedAsync(fn: () => Promise<void>): Promise<{ ms: number }> {
  const t0 = process.hrtime.bigint();
  await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

function must(r: ReturnType<typeof spawnSync>, what: string, ok: number[] = [0]): void {
  if (!ok.includes(r.status ?? -1)) throw new Error(`${what} exited ${r.status}: ${String(r.stderr)}`);
}

/**
 * Verify a 1,000,000-entry chain (built fast, in large transactions) side by side with sha256sum over the same
 * exported bytes (the floor: reading and hashing every byte once), plus durable append throughput.
 */
export const auditBench: Bench = {
  name: 'audit chain',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-audit-'));
    const home = join(dir, 'h');
    const env = { ...process.env, AGENTSEC_HOME: home };
    try {
      const init = spawnSync(process.execPath, [BIN, 'init', '--quiet'], { env, encoding: 'utf8' });
      must(init, 'init');
      const pubkey = init.stdout.trim();
      const store = await openStore(join(home, 'agentsec.db'));
      const build = await timedAsync(async () => {
        const log = new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(), epochMs: 15 * 60_000 });
        const chunk = 50_000;
        for (let done = 0; done < ENTRIES; done += chunk) {
          const events: AuditEvent[] = [];
          for (let i = done; i < Math.min(ENTRIES, done + chunk); i++) events.push({ type: 'bench.event', actor: { user: 'bench', uid: 1000 }, data: { i, ip: '203.0.113.7', path: '/v1/memory/search', status: 200 } });
          await log.append(events);
          if ((done / chunk) % 4 === 3) await log.seal(true);
        }
        await log.seal(true);
      });
      await store.close();
      const exportFile = join(dir, 'audit.jsonl');
      must(spawnSync(process.execPath, [BIN, 'audit', 'export', '--output', exportFile], { env, encoding: 'utf8' }), 'export');
      const bytes = statSync(exportFile).size;

      const sha = timed(() => spawnSync('sha256sum', [exportFile], { encoding: 'utf8' }));
      must(sha.value, 'sha256sum');
      const verify = timed(() => spawnSync(process.execPath, [join(ROOT, 'dist', 'bench', 'audit-child.js'), 'audit', 'verify', '--pubkey', pubkey, '--json'], { env, encoding: 'utf8', maxBuffer: 64 << 20 }));
      must(verify.value, 'verify');
      const doc = JSON.parse(String(verify.value.stdout)) as { verdict: string; entries: number };
      if (doc.verdict !== 'verified' || doc.entries !== ENTRIES + 1) throw new Error(`verify said ${doc.verdict} for ${doc.entries} entries`);
      const rss = Number(/maxrss-kib (\d+)/.exec(String(verify.value.stderr))?.[1] ?? 0);
      const jsonl = timed(() => spawnSync(process.execPath, [join(ROOT, 'dist', 'bench', 'audit-child.js'), 'audit', 'verify', '--jsonl', exportFile, '--pubkey', pubkey, '--json'], { env, encoding: 'utf8', maxBuffer: 64 << 20 }));
      must(jsonl.value, 'verify --jsonl');
      const jsonlRss = Number(/maxrss-kib (\d+)/.exec(String(jsonl.value.stderr))?.[1] ?? 0);

      // Durable appends: synchronous=FULL, one transaction per batch of stdin lines, a whole command each time.
      const lines = Array.from({ length: 20_000 }, (_, i) => `{"type":"bench.append","data":{"i":${i}}}`).join('\n');
      const append = timed(() => spawnSync(process.execPath, [BIN, 'audit', 'append'], { env, input: lines, encoding: 'utf8' }));
      must(append.value, 'append');
      // One durable transaction per entry, in-process (the library path an agent server uses).
      const store2 = await openStore(join(home, 'agentsec.db'));
      const single = await timedAsync(async () => {
        const log = new AuditLog({ store: store2, keyring: new AuditKeyring(home), clock: () => new Date(), epochMs: 15 * 60_000 });
        for (let i = 0; i < 2000; i++) await log.append([{ type: 'bench.single', data: { i } }]);
      });
      await store2.close();
      // The same library path with concurrent callers (an agent server recording requests as they come): appends
      // that arrive while a commit is in flight share the next one, and each resolves once its entry is durable.
      const callers = 64;
      const perCaller = 500;
      const grouped = await timedAsync(async () => {
        await Promise.all(Array.from({ length: callers }, async (_, c) => {
          for (let i = 0; i < perCaller; i++) await appendAudit({ type: 'bench.grouped', data: { c, i } }, { home });
        }));
      });
      await closeAuditStores();
      const groupedRate = ((callers * perCaller) / grouped.ms) * 1000;

      const rows: Row[] = [
        { label: `build ${ENTRIES} entries (in-process, 50k per transaction)`, value: build.ms, unit: 'ms' },
        { label: `sha256sum over the export (${(bytes / 1e6).toFixed(0)} MB, baseline)`, value: sha.ms, unit: 'ms', ratio: 1 },
        { label: 'audit verify (store), whole command', value: verify.ms, unit: 'ms', ratio: verify.ms / sha.ms, goal: '<= 1.2x', pass: verify.ms / sha.ms <= 1.2 },
        { label: 'audit verify (store) entries/s', value: (ENTRIES / verify.ms) * 1000, unit: '/s' },
        { label: 'audit verify (store) peak RSS', value: rss / 1024, unit: 'MiB' },
        { label: 'audit verify --jsonl, whole command', value: jsonl.ms, unit: 'ms', ratio: jsonl.ms / sha.ms, goal: '<= 1.5x', pass: jsonl.ms / sha.ms <= 1.5 },
        { label: 'audit verify --jsonl peak RSS', value: jsonlRss / 1024, unit: 'MiB' },
        { label: 'audit append: 20,000 lines via stdin, entries/s', value: (20_000 / append.ms) * 1000, unit: '/s', goal: '>= 5000/s', pass: (20_000 / append.ms) * 1000 >= 5000 },
        { label: 'appendAudit in-process, 1 durable commit each, entries/s', value: (2000 / single.ms) * 1000, unit: '/s', ratio: 1 },
        { label: `appendAudit in-process, ${callers} concurrent callers (group commit), entries/s`, value: groupedRate, unit: '/s', ratio: groupedRate / ((2000 / single.ms) * 1000), goal: '>= 10000/s', pass: groupedRate >= 10_000 },
      ];
      return { name: `${this.name} (${ENTRIES} entries)`, rows, notes: ['memory stays flat: entries are streamed from SQLite (or the file), never loaded whole'] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
