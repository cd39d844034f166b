import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, ratioRow, timeCommand, type Bench } from './lib.js';

/**
 * Start-up cost: `--version` and `doctor --json` against bare `node -e 0`, in the same run; and `password check`
 * with and without the common-password list, which only the commands that check a password load.
 */
export const startupBench: Bench = {
  name: 'start-up (median of 15 runs)',
  async run() {
    const home = mkdtempSync(join(tmpdir(), 'agentsec-bench-'));
    try {
      const env = { ...process.env, AGENTSEC_HOME: join(home, 'h') };
      const init = spawnSync(process.execPath, [BIN, 'init'], { env, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
      const baseline = timeCommand(process.execPath, ['-e', '0']);
      const version = timeCommand(process.execPath, [BIN, '--version']);
      const doctor = timeCommand(process.execPath, [BIN, 'doctor', '--json'], { env });
      const help = timeCommand(process.execPath, [BIN, '--help']);
      // The policy check without argon2's cost: what the common-password list adds to the commands that load it.
      const pwInput = { env, input: 'a sentence nobody has typed' };
      const pwCheck = timeCommand(process.execPath, [BIN, 'password', 'check'], pwInput);
      const pwNoList = timeCommand(process.execPath, [BIN, 'password', 'check', '--policy', 'common=allow'], pwInput);
      return {
        name: this.name,
        rows: [
          { label: 'node -e 0 (baseline)', value: baseline.medianMs, unit: 'ms', ratio: 1 },
          ratioRow('agentsec --version', version, baseline, 1.2),
          ratioRow('agentsec doctor --json', doctor, baseline, 1.3),
          ratioRow('agentsec --help', help, baseline),
          ratioRow('agentsec password check (loads the common-password list)', pwCheck, baseline),
          ratioRow('agentsec password check --policy common=allow (no list)', pwNoList, baseline),
        ],
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};
