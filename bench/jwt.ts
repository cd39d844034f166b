import { spawnSync } from 'node:child_process';
import { createHmac, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { signToken } from '../src/core/jwt/sign.js';
import { closeJwtStores, verifyJwt } from '../src/index.js';
import { libraryRuntime } from '../src/lib/runtime.js';
import { openJwt, signer } from '../src/services/jwt.js';
import { BIN, ratioRow, timeCommand, type Bench, type Row } from './lib.js';

const SECRET = 'bench-hmac-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const ROUNDS = 5;
/** Distinct tokens per round of a first-seen row (each verified once: never a cache hit). */
const PER_ROUND = 1_500;
const REPEATED_CALLS = 200_000;
const CLAIMS = { sub: 'bench', aud: ['api'], iss: 'https://auth.example' };

type Fn = (t: string, i: number) => unknown;

async function oneRound(tokens: readonly string[], fn: Fn): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < tokens.length; i++) await fn(tokens[i] as string, i);
  return tokens.length / (Number(process.hrtime.bigint() - t0) / 1e9);
}

interface Prepared {
  readonly input: Buffer;
  readonly inputText: string;
  readonly sig: Buffer;
}

/**
 * Rates of `ours` and `base` over the same first-seen tokens, in alternating rounds (the machine is shared:
 * interleaving exposes both to the same load), each taken as its best round. Round r uses its own slice of tokens,
 * so `ours` never sees a token twice.
 */
async function firstSeen(rounds: readonly (readonly string[])[], ours: Fn, base: (p: Prepared) => void): Promise<[number, number]> {
  let o = 0;
  let b = 0;
  for (const tokens of rounds) {
    const prep = prepared(tokens);
    b = Math.max(b, await oneRound(tokens, (_t, i) => base(prep[i] as Prepared)));
    o = Math.max(o, await oneRound(tokens, ours));
  }
  return [o, b];
}

/** Bare primitives on the token's own bytes, prepared beforehand: the strictest baseline. */
function prepared(tokens: readonly string[]): Prepared[] {
  return tokens.map((t) => {
    const dot = t.lastIndexOf('.');
    return { input: Buffer.from(t.slice(0, dot)), inputText: t.slice(0, dot), sig: Buffer.from(t.slice(dot + 1), 'base64url') };
  });
}

/**
 * In-process verifyJwt throughput: first-seen EdDSA and HS256 tokens against the bare primitive (`crypto.verify`
 * of Ed25519, one HMAC-SHA256) over the same tokens, a repeated token (the verified-token cache) as an absolute
 * rate, jose's jwtVerify for reference; and the whole `jwt verify` command against `node -e 0`.
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
      // Tokens are signed with the keyring's own keys but outside the ledger (which verification never reads), so
      // thousands of distinct ones take seconds, not minutes of store transactions.
      const svc = await openJwt(libraryRuntime(home));
      const mint = async (n: number): Promise<string[]> => {
        const key = await signer(svc);
        const out: string[] = [];
        for (let i = 0; i < n; i++) out.push((await signToken(key, 'access', CLAIMS, { now: Date.now(), ttlMs: 3_600_000, random: svc.random })).token);
        return out;
      };
      const rounds = async (): Promise<string[][]> => {
        const all = await mint(ROUNDS * PER_ROUND);
        return Array.from({ length: ROUNDS }, (_, r) => all.slice(r * PER_ROUND, (r + 1) * PER_ROUND));
      };
      cli(['jwt', 'keygen', '--alg', 'HS256', '--secret-file', join(dir, 'hs.secret')]);
      const hsWarm = await mint(500);
      const hsRounds = await rounds();
      cli(['jwt', 'keygen']);
      const edWarm = await mint(500);
      const edRounds = await rounds();
      await svc.close();
      const jwk = (JSON.parse(cli(['jwt', 'jwks'])) as { keys: JsonWebKey[] }).keys[0] as JsonWebKey;
      const edKey: KeyObject = createPublicKey({ key: jwk, format: 'jwk' });
      const hsKey = Buffer.from(SECRET);

      const opts = { home, audience: 'api', issuer: 'https://auth.example' };
      const ours: Fn = (t) =>
        verifyJwt(t, opts).then((v) => {
          if (!v.valid) throw new Error(`bench token invalid: ${v.reason}`);
        });
      for (const t of [...hsWarm, ...edWarm]) await ours(t, 0);

      const [edOurs, edBare] = await firstSeen(edRounds, ours, (p) => {
        if (!verify(null, p.input, edKey, p.sig)) throw new Error('bare verify failed');
      });
      const [hsOurs, hsBare] = await firstSeen(hsRounds, ours, (p) => {
        if (!createHmac('sha256', hsKey).update(p.inputText).digest().equals(p.sig)) throw new Error('bare hmac failed');
      });
      const checks = { audience: 'api', issuer: 'https://auth.example', requiredClaims: ['exp'], clockTolerance: 30 };
      const edJose = await oneRound((edRounds[0] as string[]).slice(0, 500), (t) => jwtVerify(t, edKey, { ...checks, algorithms: ['EdDSA'] }));

      const repeatedToken = edWarm[0] as string;
      let repeated = 0;
      const many = Array.from({ length: REPEATED_CALLS / ROUNDS }, () => repeatedToken);
      for (let r = 0; r < ROUNDS; r++) repeated = Math.max(repeated, await oneRound(many, ours));
      await closeJwtStores();

      const baseline = timeCommand(process.execPath, ['-e', '0']);
      const cliVerify = timeCommand(process.execPath, [BIN, 'jwt', 'verify', '--aud', 'api'], { env, input: edWarm[1] as string });
      const rows: Row[] = [
        { label: 'crypto.verify Ed25519 (baseline)', value: edBare, unit: '/s', ratio: 1 },
        { label: 'verifyJwt EdDSA, first-seen token', value: edOurs, unit: '/s', ratio: edOurs / edBare, goal: '>= 0.8x', pass: edOurs / edBare >= 0.8 },
        { label: 'jose jwtVerify EdDSA (reference)', value: edJose, unit: '/s', ratio: edJose / edBare },
        { label: 'HMAC-SHA256 (baseline)', value: hsBare, unit: '/s', ratio: 1 },
        { label: 'verifyJwt HS256, first-seen token', value: hsOurs, unit: '/s', ratio: hsOurs / hsBare, goal: '>= 0.5x', pass: hsOurs / hsBare >= 0.5 },
        { label: 'verifyJwt, repeated token (cache)', value: repeated, unit: '/s', goal: '>= 200000/s', pass: repeated >= 200_000 },
        { label: 'node -e 0 (baseline)', value: baseline.medianMs, unit: 'ms', ratio: 1 },
        ratioRow('agentsec jwt verify (whole command)', cliVerify, baseline, 1.4),
      ];
      return {
        name: this.name,
        rows,
        notes: [
          `first-seen rows: ${ROUNDS} alternating rounds of ${PER_ROUND} distinct tokens (best round each), each token verified once, after a warm-up on other tokens; one thread`,
          'verifyJwt includes key selection, the typ and claim checks, the in-memory denylist and the cache lookup (SHA-256 of the token)',
          `repeated row: ${REPEATED_CALLS} calls with one token in ${ROUNDS} rounds (best round)`,
        ],
      };
    } finally {
      await closeJwtStores();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
