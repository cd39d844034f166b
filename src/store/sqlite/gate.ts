/**
 * One SQLite connection serves a whole process, and better-sqlite3 runs each statement synchronously, so the only
 * way two tasks of a process can interleave on it is across the awaits of an open transaction. The gate closes for
 * the length of each transaction: the next transaction, and any read made outside it, waits until it ends, so no
 * task ever sees another task's uncommitted writes or writes into another task's transaction. When no transaction
 * is open (nearly always), a call runs at once, with no queueing cost.
 */
export class Gate {
  private closed = false;
  private readonly waiting: Array<() => void> = [];

  /** Runs a plain (non-transaction) call now, or after the open transaction ends. */
  run<T>(fn: () => T): Promise<T> {
    if (!this.closed) {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(fn());
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  /** Waits for the gate to be open, then closes it for the caller, who must call {@link release}. */
  async acquire(): Promise<void> {
    while (this.closed) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.closed = true;
  }

  /** Opens the gate: queued plain calls run in order until the next waiting transaction closes it again. */
  release(): void {
    this.closed = false;
    while (this.waiting.length > 0 && !this.closed) (this.waiting.shift() as () => void)();
  }
}
