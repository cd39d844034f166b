import * as fs from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/main.js';
import { fakeIo, type FakeIo } from '../../support/io.js';
import { tempDir } from '../../support/cli.js';

export interface Sandbox {
  readonly dir: string;
  readonly home: string;
  now: Date;
  cli(args: readonly string[], opts?: { stdin?: string; stdinTTY?: boolean }): Promise<{ code: number; out: string; err: string; io: FakeIo }>;
  write(name: string, text: string, mode?: number): string;
  read(name: string): string;
  /** Every byte of the store (db, -wal, -shm) as latin1 text, to search for leaked values. */
  storeBytes(): string;
  cleanup(): void;
}

/** A temp dir with an initialised agentsec home, and an in-process CLI with a settable clock. */
export async function sandbox(): Promise<Sandbox> {
  const t = tempDir('agentsec-secret-');
  const home = join(t.dir, 'home');
  const sb: Sandbox = {
    dir: t.dir,
    home,
    now: new Date('2026-01-01T00:00:00Z'),
    async cli(args, opts = {}) {
      const io = fakeIo({ stdin: opts.stdin ?? '', stdinTTY: opts.stdinTTY ?? false, cwd: t.dir });
      const code = await run(['--home', home, ...args], io, { ctxOverrides: { clock: () => sb.now } });
      return { code, out: io.out(), err: io.err(), io };
    },
    write(name, text, mode = 0o600) {
      const p = join(t.dir, name);
      fs.writeFileSync(p, text, { mode });
      fs.chmodSync(p, mode);
      return p;
    },
    read(name) {
      return fs.readFileSync(join(t.dir, name), 'utf8');
    },
    storeBytes() {
      return fs
        .readdirSync(home)
        .filter((n) => n.startsWith('agentsec.db'))
        .map((n) => fs.readFileSync(join(home, n)).toString('latin1'))
        .join('');
    },
    cleanup: t.cleanup,
  };
  const init = await sb.cli(['init']);
  if (init.code !== 0) throw new Error(`init failed: ${init.err}`);
  return sb;
}

export const DAY = 86_400_000;
