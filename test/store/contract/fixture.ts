import type { Store } from '../../../src/store/store.js';

/**
 * What a backend gives the contract suites: a fresh, empty, migrated store, and further connections to the same
 * store (another process or host, as far as the store can tell). `cleanup` closes everything and removes it.
 */
export interface StoreFixture {
  readonly store: Store;
  connect(): Promise<Store>;
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreFixture>;

/** Runs `body` on a fresh fixture and always cleans up. */
export async function withStore(factory: StoreFactory, body: (f: StoreFixture) => Promise<void>): Promise<void> {
  const f = await factory();
  try {
    await body(f);
  } finally {
    await f.cleanup();
  }
}
