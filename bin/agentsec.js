#!/usr/bin/env node
// The only file that touches process.exit/argv: everything else returns an exit code.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

// Node.js 20 reads any argument that starts with --env-file as its own option, even after the script name, and
// applies NODE_OPTIONS from that file before any JavaScript runs (nodejs/node#54232): pointing it at a service's
// .env would let that file run code as the user running agentsec. agentsec never takes such an argument (its
// flag is --dotenv); refuse it rather than act on a command line Node has already misread.
if (argv.some((a) => a.startsWith('--env-file'))) {
  process.stderr.write("agentsec: --env-file is read by Node.js itself (it applies NODE_OPTIONS from that file before agentsec starts): use --dotenv FILE, and check that file for a NODE_OPTIONS line\n");
  process.exit(2);
}

// `--version` is what scripts call to probe for the tool; answer it without loading the command tree.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const controller = new AbortController();
  // The reader went away (`agentsec lint . | head`): stop quietly, as a C tool does on SIGPIPE, instead of dying on
  // an unhandled 'error' event with a stack trace. Follow loops end through the abort; later writes go nowhere.
  let readerGone = false;
  const onStreamError = (err) => {
    if (readerGone) return;
    if (err?.code !== 'EPIPE') {
      process.stderr.write(`agentsec: cannot write output: ${err?.code ?? err}\n`);
      process.exit(3);
    }
    readerGone = true;
    controller.abort();
  };
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  process.once('SIGINT', () => {
    process.exitCode = 130;
    controller.abort();
    // Give streaming commands a moment to flush, then stop for good.
    setTimeout(() => process.exit(130), 1000).unref();
  });
  // The bundle `npm run build` makes (a few files load much faster than hundreds of modules); tsc's output otherwise.
  const { run, processIo } = await import('../dist/cli/entry.js').catch((err) => {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/entry.js')) throw err;
    return import('../dist/src/cli/entry.js');
  });
  const code = await run(argv, processIo(controller.signal));
  // A command cut short by a closed pipe reports what it found, not an interruption.
  if (readerGone) process.exitCode = code === 130 ? 0 : code;
  else if (process.exitCode !== 130) process.exitCode = code;
}
