import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, newKeyId } from '../src/core/apikeys/format.js';
import { APIKEYS_HMAC_PURPOSE, hmacApiKey } from '../src/core/apikeys/verify.js';
import { deriveSubkey } from '../src/core/crypto/seal.js';
import { verifyApiKey } from '../src/index.js';
import { closeApiKeyStores } from '../src/lib/verify-api-key.js';
import { openStore } from '../src/store/open.js';
import { BIN, ratioRow, timeCommand, type Bench, type Row } from './lib.js';

const STORE_KEYS = 10_000;
const CALLS = 200_000;

/** Calls per second of `fn` over `keys` (round robin), after one warm-up pass. Single-threaded: one core. */
async function rate(keys: readonly string[], fn: (key: string) => unknown): Promise<number> {
  for (const k of keys) await fn(k);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn(keys[i % keys.length] as string);
  return CALLS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/**
 * In-process verifyApiKey throughput against a 10,000-key store (goal ≥ 100,000/s), with raw HMAC-SHA256 as the
 * same-run baseline; and the whole `keys verify` command against `node -e 0`.
 */
export const keysBench: Bench = {
  name: 'API keys (10,000-key store)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-keys-'));
    const home = join(dir, 'h');
    try {
      const env = { ...process.env, AGENTSEC_HOME: home };
      const init = spawnSync(process.execPath, [BIN, 'init'], { env, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
      const hmacKey = deriveSubkey(readFileSync(join(home, 'master.key')), APIKEYS_HMAC_PURPOSE);
      const keys: string[] = [];
      const store = await openStore(join(home, 'agentsec.db'));
      try {
        const now = Date.now();
        await store.transaction(async (tx) => {
          for (let i = 0; i < STORE_KEYS; i++) {
            const key = generateApiKey('ask', randomBytes);
            keys.push(key);
            await tx.keys.insert(
              { id: newKeyId(randomBytes), name: `k${i}`, prefix: 'ask', last4: key.slice(-4), role: 'operator', scopes: [], allowIps: i % 2 ? ['10.0.0.0/8'] : [], meta: {}, createdAt: now, expiresAt: null, revokedAt: null, revokeReason: null, lastUsedAt: null, rotatedFrom: null, rotatedTo: null },
              hmacApiKey(hmacKey, key),
            );
          }
        });
      } finally {
        await store.close();
      }
      // Keys the store has never seen, and keys with a broken checksum.
      const unknown = Array.from({ length: 1000 }, () => generateApiKey('ask', randomBytes));
      const malformed = unknown.map((k) => `${k.slice(0, -1)}${k.endsWith('0') ? '1' : '0'}`);

      const hmacRate = await rate(keys, (k) => createHmac('sha256', hmacKey).update(k).digest());
      const validRate = await rate(keys, (k) => verifyApiKey(k, { home, ip: '10.1.2.3', scopes: ['memory:read'] }));
      const notFoundRate = await rate(unknown, (k) => verifyApiKey(k, { home }));
      const malformedRate = await rate(malformed, (k) => verifyApiKey(k, { home }));
      const check = await verifyApiKey(keys[1] as string, { home, ip: '10.1.2.3' });
      if (check.code !== 'VALID') throw new Error(`bench store broken: ${check.code}`);
      await closeApiKeyStores();

      const baseline = timeCommand(process.execPath, ['-e', '0']);
      const cliVerify = timeCommand(process.execPath, [BIN, 'keys', 'verify', '--ip', '10.1.2.3'], { env, input: keys[1] as string });
      const goal = 100_000;
      const rows: Row[] = [
        { label: 'HMAC-SHA256 alone (baseline)', value: hmacRate, unit: '/s', ratio: 1 },
        { label: 'verifyApiKey VALID (IP + scope)', value: validRate, unit: '/s', ratio: validRate / hmacRate, goal: `>= ${goal}/s`, pass: validRate >= goal },
        { label: 'verifyApiKey NOT_FOUND', value: notFoundRate, unit: '/s', ratio: notFoundRate / hmacRate },
        { label: 'verifyApiKey MALFORMED', value: malformedRate, unit: '/s', ratio: malformedRate / hmacRate },
        { label: 'node -e 0 (baseline)', value: baseline.medianMs, unit: 'ms', ratio: 1 },
        ratioRow('agentsec keys verify (whole command)', cliVerify, baseline, 1.4),
      ];
      return {
        name: this.name,
        rows,
        notes: [`${CALLS} calls per row after one warm-up pass over the keys; one thread`, 'half the keys carry an IP allowlist; last-used writes are at most once a minute per key'],
      };
    } finally {
      await closeApiKeyStores();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
