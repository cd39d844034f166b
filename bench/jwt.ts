import { spawnSync } from 'node:child_process';
import { createPublicKey, createSecretKey, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { closeJwtStores, issueJwt, verifyJwt } from '../src/index.js';
import { BIN, ratioRow, timeCommand, type Bench, type Row } from './lib.js';

const TOKENS = 100;
const CALLS = 20_000;
const SECRET = 'bench-hmac-secret-0123456789abcdefghijklmnopqrstuvwxyz';

const ROUNDS = 5;

async function oneRound(tokens: readonly string[], fn: (t: string) => Promise<unknown>, calls: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn(tokens[i % tokens.length] as string);
  return calls / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/**
 * Rates of `ours` and `base`, measured in alternating rounds (the machine is shared: interleaving exposes both to the
 * same load) and each taken as its best round.
 */
async function rates(tokens: readonly string[], ours: (t: string) => Promise<unknown>, base: (t: string) => Promise<unknown>): Promise<[number, number]> {
  for (const t of tokens) await ours(t), await base(t);
  let o = 0;
  let b = 0;
  for (let r = 0; r < ROUNDS; r++) {
    b = Math.max(b, await oneRound(tokens, base, CALLS / ROUNDS));
    o = Math.max(o, await oneRound(tokens, ours, CALLS / ROUNDS));
  }
  return [o, b];
}

/**
 * In-process verifyJwt throughput for EdDSA and HS256 against jose's jwtVerify called directly with the same key
 * and checks (the ratio shows what our layer adds: key selection, revocation lookup, typ); and the whole
 * `jwt verify` command against `node -e 0`.
 */
export const jwtBench: Bench = {
  name: 'JWT verify',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-jwt-'));
    const home = join(dir, 'h');
    try {
      const env = { ...process.env, AGENTSEC_HOME: home };
      const cli = (args: string[], input = '') => {
        const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', input });
        if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
        return r.stdout;
      };
      cli(['init']);
      writeFileSync(join(dir, 'hs.secret'), SECRET);
      cli(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', join(dir, 'hs.secret')]);
      const mint = async () => Promise.all(Array.from({ length: TOKENS }, () => issueJwt({ sub: 'bench', aud: 'api', iss: 'https://auth.example' }, { home, ttl: '1h' }).then((t) => t.accessToken)));
      const hsTokens = await mint();
      cli(['jwt', 'keygen']);
      const edTokens = await mint();
      const jwk = (JSON.parse(cli(['jwt', 'jwks'])) as { keys: JsonWebKey[] }).keys[0] as JsonWebKey;
      const edKey = createPublicKey({ key: jwk, format: 'jwk' });
      const hsKey = createSecretKey(Buffer.from(SECRET));
      const checks = { audience: 'api', issuer: 'https://auth.example', requiredClaims: ['exp'], clockTolerance: 30 };
      const ours = (t: string) => verifyJwt(t, { home, audience: 'api', issuer: 'https://auth.example' }).then((v) => {
        if (!v.valid) throw new Error(`bench token invalid: ${v.reason}`);
      });
      const [edOurs, edJose] = await rates(edTokens, ours, (t) => jwtVerify(t, edKey, { ...checks, algorithms: ['EdDSA'] }));
      const [hsOurs, hsJose] = await rates(hsTokens, ours, (t) => jwtVerify(t, hsKey, { ...checks, algorithms: ['HS256'] }));
      await closeJwtStores();

      const baseline = timeCommand(process.execPath, ['-e', '0']);
      const cliVerify = timeCommand(process.execPath, [BIN, 'jwt', 'verify', '--aud', 'api'], { env, input: edTokens[0] as string });
      // Throughput ratios: ours / jose, so 1 means no overhead; the goal allows a revocation lookup per call.
      const goal = 0.7;
      const rows: Row[] = [
        { label: 'jose jwtVerify EdDSA (baseline)', value: edJose, unit: '/s', ratio: 1 },
        { label: 'verifyJwt EdDSA', value: edOurs, unit: '/s', ratio: edOurs / edJose, goal: `>= ${goal}x`, pass: edOurs / edJose >= goal },
        { label: 'jose jwtVerify HS256 (baseline)', value: hsJose, unit: '/s', ratio: 1 },
        { label: 'verifyJwt HS256', value: hsOurs, unit: '/s', ratio: hsOurs / hsJose, goal: `>= ${goal}x`, pass: hsOurs / hsJose >= goal },
        { label: 'node -e 0 (baseline)', value: baseline.medianMs, unit: 'ms', ratio: 1 },
        ratioRow('agentsec jwt verify (whole command)', cliVerify, baseline, 1.4),
      ];
      return { name: this.name, rows, notes: [`${CALLS} verifications per row over ${TOKENS} tokens after one warm-up pass, in 5 alternating rounds (best round each); one thread`, 'verifyJwt adds key selection by kid, a typ check and one indexed denylist lookup per call'] };
    } finally {
      await closeJwtStores();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
