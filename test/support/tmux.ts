import { spawnSync } from 'node:child_process';

/** Whether a program is on PATH. */
export function have(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real interactive shell in a detached tmux pane: keys go in with `send-keys`, the screen comes back with
 * `capture-pane`. Each instance runs on its own tmux server socket, so it never touches anyone's sessions.
 */
export class TmuxShell {
  private readonly socket: string;

  constructor(
    name: string,
    private readonly command: string[],
    private readonly env: Record<string, string>,
    private readonly size = { columns: 160, rows: 50 },
  ) {
    this.socket = `agentsec-test-${process.pid}-${name}`;
  }

  private tmux(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { ...this.env, TMUX: '' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  start(cwd: string): void {
    // Through env(1): tmux gives a new pane the PATH of its own environment, whatever -e says.
    const envArgs = Object.entries(this.env).map(([k, v]) => `${k}=${v}`);
    const r = this.tmux(['new-session', '-d', '-s', 'main', '-c', cwd, '-x', String(this.size.columns), '-y', String(this.size.rows), 'env', ...envArgs, ...this.command]);
    if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  }

  /** Sends keys as tmux names them (`Tab`, `Enter`, `C-c`); plain text is sent literally with `text`. */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'main', ...keys]);
  }

  text(text: string): void {
    this.tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-t', 'main']).stdout;
  }

  /** Waits until the screen matches (or throws with the screen shown). */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = this.screen();
      if (pattern.test(last)) return last;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${pattern} on the screen:\n${last}`);
  }

  /**
   * An empty prompt on a clear screen: Ctrl-C drops what is typed, Ctrl-L clears, and nothing is typed until the
   * prompt stands alone (a loaded machine may take a while to redraw).
   */
  async fresh(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      this.keys('C-c');
      await sleep(200);
      this.keys('C-l');
      try {
        await this.waitFor(/^\s*P>\s*$/, 3000);
        return;
      } catch {
        // not redrawn yet: again
      }
    }
    await this.waitFor(/^\s*P>\s*$/);
  }

  /** Types a line without running it, presses TAB (twice when asked: bash lists on the second), waits, returns the screen. */
  async complete(line: string, expect: RegExp, tabs = 1): Promise<string> {
    await this.fresh();
    this.text(line);
    for (let i = 0; i < tabs; i++) {
      this.keys('Tab');
      await sleep(tabs > 1 ? 700 : 50);
    }
    return this.waitFor(expect);
  }

  /** The screen a moment after TAB, for what must not appear. */
  async settle(line: string, tabs = 1, waitMs = 1500): Promise<string> {
    await this.fresh();
    this.text(line);
    for (let i = 0; i < tabs; i++) {
      this.keys('Tab');
      await sleep(300);
    }
    await sleep(waitMs);
    return this.screen();
  }

  stop(): void {
    this.tmux(['kill-server']);
  }
}
