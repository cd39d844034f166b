#!/usr/bin/env node
// The only file that touches process.exit/argv: everything else returns an exit code.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

// `--version` is what scripts call to probe for the tool; answer it without loading the command tree.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.exitCode = 130;
    controller.abort();
    // Give streaming commands a moment to flush, then stop for good.
    setTimeout(() => process.exit(130), 1000).unref();
  });
  const { run } = await import('../dist/src/cli/main.js');
  const { processIo } = await import('../dist/src/platform/io.js');
  const code = await run(argv, processIo(controller.signal));
  if (process.exitCode !== 130) process.exitCode = code;
}
