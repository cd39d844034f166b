import type { Gate } from './gate.js';

/** The synchronous twin of an async repository interface: what a better-sqlite3 class implements. */
export type Sync<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};

/**
 * Exposes a synchronous better-sqlite3 repository as its async interface. With a gate, each call waits for an open
 * transaction to end (the store's own repositories); without one, it runs at once (a transaction's repositories).
 * Methods named in `streams` return async iterables and are passed through as they are. Built once per store, so a
 * call costs one closure and one resolved promise.
 */
export function asyncRepo<T extends object>(impl: Sync<T>, gate: Gate | null, streams: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  const proto = Object.getPrototypeOf(impl) as object;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const fn = (impl as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof fn !== 'function') continue;
    const bound = (fn as (...a: unknown[]) => unknown).bind(impl);
    if (streams.includes(name)) out[name] = bound;
    else if (gate) out[name] = (...args: unknown[]) => gate.run(() => bound(...args));
    else
      out[name] = (...args: unknown[]) => {
        try {
          return Promise.resolve(bound(...args));
        } catch (err) {
          return Promise.reject(err as Error);
        }
      };
  }
  return out as T;
}
