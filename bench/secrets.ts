import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ratioRow, timeCommand, type Bench } from './lib.js';

function envFile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i === Math.floor(lines / 2)) out.push('JWT_SECRET=Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA');
    else if (i % 20 === 0) out.push(`# section ${i}`);
    else out.push(`SETTING_${i}="value ${i} with = and spaces"`);
  }
  return `${out.join('\n')}\n`;
}

/** `secret rotate` of one secret in a 1,000-line .env file, whole command, against bare `node -e 0` in the same run. */
export const secretsBench: Bench = {
  name: 'secret rotate, 1,000-line .env (median of 15 runs)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-secrets-'));
    try {
      const home = join(dir, 'home');
      const env = { ...process.env, AGENTSEC_HOME: home };
      const init = spawnSync(process.execPath, [BIN, 'init'], { env, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
      const file = join(dir, '.env');
      writeFileSync(file, envFile(1000), { mode: 0o600 });
      const baseline = timeCommand(process.execPath, ['-e', '0']);
      const rotate = timeCommand(process.execPath, [BIN, 'secret', 'rotate', 'JWT_SECRET', '--dotenv', file, '-q'], { env });
      // The cron case on a day with nothing to do: store lookup, no write.
      const noop = timeCommand(process.execPath, [BIN, 'secret', 'rotate', 'JWT_SECRET', '--dotenv', file, '--if-older-than', '30d', '-q'], { env });
      const generate = timeCommand(process.execPath, [BIN, 'secret', 'generate'], { env });
      const lines = readFileSync(file, 'utf8').split('\n').length - 1;
      return {
        name: this.name,
        rows: [
          { label: 'node -e 0 (baseline)', value: baseline.medianMs, unit: 'ms', ratio: 1 },
          ratioRow('secret rotate JWT_SECRET (writes)', rotate, baseline, 4),
          ratioRow('secret rotate --if-older-than 30d (no-op)', noop, baseline, 4),
          ratioRow('secret generate', generate, baseline, 2),
        ],
        notes: [`file has ${lines} lines after the runs (1,000 + JWT_SECRET_PREVIOUS)`],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
