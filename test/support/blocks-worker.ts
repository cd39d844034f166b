/**
 * A child process for the blocks concurrency test: records `rounds` failures for each address given, through the
 * library, and prints the outcome counts as one JSON line. Usage: node blocks-worker.js HOME ROUNDS IP...
 */
import { closeAgentsec, recordFailure } from '../../src/index.js';

const [home, rounds, ...ips] = process.argv.slice(2);
const counts: Record<string, number> = {};
for (let r = 0; r < Number(rounds); r++) {
  for (const ip of ips) {
    const out = await recordFailure(ip, 'auth', { home });
    counts[out.outcome] = (counts[out.outcome] ?? 0) + 1;
  }
}
await closeAgentsec();
process.stdout.write(`${JSON.stringify(counts)}\n`);
