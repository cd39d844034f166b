/**
 * A child process for the PostgreSQL fault test: for `ms` milliseconds, alternately records a failure for one of
 * `ips` addresses and appends an audit entry, through the library, and prints one JSON line per call: what it
 * returned, or the error it failed with (its name, and whether its message is one line).
 * Usage: node fault-worker.js HOME MS IP...
 */
import { appendAudit, closeAgentsec, recordFailure } from '../../src/index.js';

const [homeArg, ms, ...ips] = process.argv.slice(2);
const home = homeArg as string;
const until = Date.now() + Number(ms);
let i = 0;
const out: string[] = [];
const failure = (err: unknown) => ({ ok: false, name: (err as Error).name, oneLine: !String((err as Error).message).includes('\n'), message: String((err as Error).message).slice(0, 200) });
while (Date.now() < until) {
  i++;
  const ip = ips[i % ips.length] as string;
  try {
    const r = await recordFailure(ip, 'auth', { home });
    out.push(JSON.stringify({ op: 'failure', ip, ok: true, outcome: r.outcome }));
  } catch (err) {
    out.push(JSON.stringify({ op: 'failure', ip, ...failure(err) }));
  }
  try {
    const r = await appendAudit({ type: 'app.fault', data: { i, pid: process.pid } }, { home });
    out.push(JSON.stringify({ op: 'audit', ok: true, seq: r.seq, i }));
  } catch (err) {
    out.push(JSON.stringify({ op: 'audit', i, ...failure(err) }));
    // While the server is down, calls fail at once: do not spin.
    await new Promise((r) => setTimeout(r, 20));
  }
}
await closeAgentsec();
process.stdout.write(`${out.join('\n')}\n`);
