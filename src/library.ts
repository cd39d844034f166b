import { createCtx, type Ctx } from './cli/context.js';
import type { Io } from './platform/io.js';

/** A context for library calls from a Node app: no terminal, environment from the process, home as given. */
export function libraryCtx(home?: string): Ctx {
  const silent = { isTTY: false, write: () => {} };
  const io: Io = {
    stdin: { isTTY: false, readText: async () => '', stream: () => undefined },
    stdout: silent,
    stderr: silent,
    env: process.env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
  };
  return createCtx(io, { home, json: false, quiet: true, color: false, yes: false });
}
