import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';

import type { OutStream } from '../output/output.js';

export type { OutStream };

/** Everything a command may touch of its process, so that tests can hand it a fake. */
export interface Io {
  readonly stdin: { readonly isTTY: boolean; readText(): Promise<string>; stream(): Readable | undefined };
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signal: AbortSignal;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether fd is a pipe or socket (not a terminal, not a regular file). */
function isPipeFd(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

export function processIo(signal: AbortSignal = new AbortController().signal): Io {
  const wrap = (s: NodeJS.WriteStream, fd: number): OutStream => ({
    isTTY: Boolean(s.isTTY),
    // Read at each use: the terminal may be resized while a command runs.
    get columns() {
      return s.isTTY && s.columns > 0 ? s.columns : undefined;
    },
    isPipe: isPipeFd(fd),
    write: (text: string) => {
      s.write(text);
    },
    // Writes are ordered: the callback of an empty write runs once every earlier write is done (or failed).
    flush: () => new Promise<void>((res, rej) => void s.write('', (err) => (err ? rej(err) : res()))),
  });
  return {
    stdin: {
      isTTY: Boolean(process.stdin.isTTY),
      readText: () => readAll(process.stdin),
      stream: () => process.stdin,
    },
    stdout: wrap(process.stdout, 1),
    stderr: wrap(process.stderr, 2),
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}
