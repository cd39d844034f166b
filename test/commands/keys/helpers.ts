import { run } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/io.js';
import { tempDir } from '../../support/cli.js';

export interface InProcess {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process against `home`, with stdin text, env and a frozen clock when given. */
export async function cli(home: string, args: string[], opts: { stdin?: string; env?: Record<string, string>; now?: Date } = {}): Promise<InProcess> {
  const io = fakeIo({ stdin: opts.stdin ?? '', ...(opts.env ? { env: opts.env } : {}) });
  const now = opts.now;
  const code = await run(['--home', home, ...args], io, now ? { ctxOverrides: { clock: () => now } } : {});
  return { code, stdout: io.out(), stderr: io.err() };
}

/** A temp home, initialised. */
export async function initHome(): Promise<{ home: string; cleanup: () => void }> {
  const t = tempDir('agentsec-keys-');
  const home = `${t.dir}/home`;
  const r = await cli(home, ['init']);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return { home, cleanup: t.cleanup };
}

export async function issue(home: string, args: string[] = [], now?: Date): Promise<{ key: string; id: string }> {
  const r = await cli(home, ['--json', 'keys', 'issue', '--name', 'test', ...args], now ? { now } : {});
  if (r.code !== 0) throw new Error(`issue failed: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { key: string; id: string };
  return { key: doc.key, id: doc.id };
}
