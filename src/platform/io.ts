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

export function processIo(signal: AbortSignal = new AbortController().signal): Io {
  const wrap = (s: NodeJS.WriteStream): OutStream => ({
    isTTY: Boolean(s.isTTY),
    write: (text: string) => {
      s.write(text);
    },
  });
  return {
    stdin: {
      isTTY: Boolean(process.stdin.isTTY),
      readText: () => readAll(process.stdin),
      stream: () => process.stdin,
    },
    stdout: wrap(process.stdout),
    stderr: wrap(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}
