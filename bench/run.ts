import { printResult, type Bench } from './lib.js';
import { auditBench } from './audit.js';
import { blocksBench } from './blocks.js';
import { blocksFormatsBench } from './blocks-formats.js';
import { decisionsBench } from './decisions.js';
import { jwtBench } from './jwt.js';
import { keysBench } from './keys.js';
import { lintBench } from './lint.js';
import { secretsBench } from './secrets.js';
import { serveBench } from './serve.js';
import { startupBench } from './startup.js';
import { storeBench } from './store.js';
import { totpBench } from './totp.js';

/** Every benchmark; an area adds its own with one line. `npm run bench -- NAME` runs those whose name contains NAME. */
const BENCHES: readonly Bench[] = [startupBench, auditBench, keysBench, secretsBench, lintBench, totpBench, jwtBench, blocksBench, blocksFormatsBench, serveBench, decisionsBench, storeBench];

const filter = process.argv.slice(2);
const chosen = BENCHES.filter((b) => filter.length === 0 || filter.some((f) => b.name.includes(f)));
let failed = false;
for (const bench of chosen) {
  try {
    printResult(await bench.run());
  } catch (err) {
    failed = true;
    process.stderr.write(`bench ${bench.name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
