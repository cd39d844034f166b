import { Readable } from 'node:stream';
import type { Io } from '../../src/platform/io.js';

export interface FakeIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
}

/** An in-process Io: stdin text, TTY flags and env chosen by the test; stdout/stderr captured. */
export function fakeIo(opts: { stdin?: string; stdinTTY?: boolean; stdoutTTY?: boolean; stderrTTY?: boolean; stdoutPipe?: boolean; columns?: number; env?: Record<string, string | undefined>; cwd?: string } = {}): FakeIo {
  let out = '';
  let err = '';
  const stdinText = opts.stdin ?? '';
  return {
    stdin: { isTTY: opts.stdinTTY ?? false, readText: async () => stdinText, stream: () => Readable.from([Buffer.from(stdinText)]) },
    stdout: { isTTY: opts.stdoutTTY ?? false, columns: opts.stdoutTTY ? opts.columns : undefined, isPipe: opts.stdoutPipe ?? false, write: (s: string) => void (out += s) },
    stderr: { isTTY: opts.stderrTTY ?? false, columns: opts.stderrTTY ? opts.columns : undefined, write: (s: string) => void (err += s) },
    env: { NO_COLOR: '1', ...(opts.env ?? {}) },
    cwd: opts.cwd ?? process.cwd(),
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}
