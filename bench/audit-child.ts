// Runs one agentsec command in this process and reports its peak memory (maxRSS, KiB) on stderr as the last line.
import { run } from '../src/cli/main.js';
import { processIo } from '../src/platform/io.js';

const code = await run(process.argv.slice(2), processIo());
process.stderr.write(`\nmaxrss-kib ${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
