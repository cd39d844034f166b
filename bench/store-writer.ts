// One of the 8 concurrent writers of the store bench: warms up, waits for the common start time, then makes N
// library calls (recordFailure on addresses of its own, or appendAudit) and prints the time it finished (ms).
// Usage: node store-writer.js HOME failure|audit N START_AT_MS
import { appendAudit, closeAgentsec, recordFailure } from '../src/index.js';

const [home, mode, n, startAt] = process.argv.slice(2) as [string, string, string, string];
const call = (i: number): Promise<unknown> =>
  mode === 'failure' ? recordFailure(`10.${process.pid % 250}.${(i >> 8) & 255}.${i & 255}`, 'auth', { home }) : appendAudit({ type: 'bench.write', data: { i } }, { home });
await call(100_000);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
for (let i = 0; i < Number(n); i++) await call(i);
process.stdout.write(`${Date.now()}\n`);
await closeAgentsec();
