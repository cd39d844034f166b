/**
 * A child process for the group-commit kill test: `callers` concurrent callers append through the library until
 * killed, and each resolved append is written to stdout at once (one "seq hash" line, no buffering), so the parent
 * knows exactly which appends were reported durable when the SIGKILL landed. Usage: node audit-append-child.js HOME CALLERS
 */
import { writeSync } from 'node:fs';
import { appendAudit } from '../../src/lib/audit.js';

const [home, callers] = process.argv.slice(2);
await Promise.all(
  Array.from({ length: Number(callers) }, async (_, c) => {
    for (let i = 0; ; i++) {
      const { seq, hash } = await appendAudit({ type: 'test.grouped', data: { c, i } }, { home: home as string });
      writeSync(1, `${seq} ${hash}\n`);
    }
  }),
);
