import { AgentsecError } from '../../core/errors.js';
import type { Store, Tx } from '../../store/store.js';

/** One caller's share of a group: its work inside the shared transaction, and its promise. */
interface Request<T> {
  readonly work: (tx: Tx) => Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (err: unknown) => void;
}

// A group waits for the commit before it, so its size follows the load by itself; the cap only bounds how long one
// transaction holds the store's write lock (and the latency of the first caller in it).
const MAX_GROUP = 1024;

/**
 * Group commit: callers that arrive while a commit is in flight share the next one. On SQLite with
 * synchronous=FULL a commit is one fsync of the WAL, and that fsync, not the SQL, is what an append costs; shared by
 * a group, it is paid once for all of them.
 *
 * The rules a caller can rely on:
 * - its promise settles only after the transaction holding its work has committed (durable) or rolled back;
 * - work runs in arrival order, each inside its own savepoint: a caller whose input is refused (its work throws an
 *   AgentsecError) is rejected alone, its writes (and the after-commit actions it registered) undone, and the
 *   others go on;
 * - a transaction that fails as a whole (the commit, the store) rejects every caller of its group, and nothing of
 *   the group stays in the store.
 *
 * Backend-neutral: it uses only `Store.transaction` and `Tx.savepoint`, so any backend gets it, and one whose
 * commits are cheap loses nothing (a caller alone is a group of one).
 */
export class GroupCommitter {
  private queue: Array<Request<unknown>> = [];
  private running = false;

  constructor(private readonly store: Store) {}

  /** Runs `work` in the next shared transaction; settles once that transaction has committed or failed. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject } as Request<unknown>);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        await this.commitGroup(group);
      }
    } finally {
      this.running = false;
    }
  }

  private async commitGroup(group: ReadonlyArray<Request<unknown>>): Promise<void> {
    if (group.length === 1) {
      // A caller alone needs no savepoint: its failure is the transaction's, which rolls back (after-commit actions
      // and all) exactly as a savepoint would, so a lone append costs what it did before group commit.
      const req = group[0] as Request<unknown>;
      try {
        req.resolve(await this.store.transaction((tx) => req.work(tx)));
      } catch (err) {
        req.reject(err);
      }
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      await this.store.transaction(async (tx) => {
        for (const req of group) {
          // The caller's after-commit actions join the transaction's only if its savepoint is kept: a key file
          // destroyed after a seal that was rolled back would leave the epoch unsealable.
          const after: Array<() => void> = [];
          try {
            const value = await tx.savepoint((inner) => req.work(withAfterCommit(inner, after)));
            for (const f of after) tx.afterCommit(f);
            outcomes.push({ ok: true, value });
          } catch (err) {
            // A refusal of this caller's input is its own; anything else (the store failing under it) is the
            // transaction's, and fails the group with the store's own one-line error.
            if (!(err instanceof AgentsecError)) throw err;
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      for (const req of group) req.reject(err);
      return;
    }
    group.forEach((req, i) => {
      const o = outcomes[i];
      if (o?.ok) req.resolve(o.value);
      else req.reject(o?.err);
    });
  }
}

/** `tx` with its after-commit actions collected in `after` instead of registered at once. */
function withAfterCommit(tx: Tx, after: Array<() => void>): Tx {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'afterCommit') return (f: () => void) => after.push(f);
      if (prop === 'savepoint') return <T>(fn: (t: Tx) => Promise<T>) => target.savepoint((t) => fn(withAfterCommit(t, after)));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

const committers = new WeakMap<Store, GroupCommitter>();

/** The one group committer of a store in this process (every writer of that store must share it to share commits). */
export function groupCommitter(store: Store): GroupCommitter {
  let c = committers.get(store);
  if (!c) {
    c = new GroupCommitter(store);
    committers.set(store, c);
  }
  return c;
}
