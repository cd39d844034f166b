/** How a store is opened (any backend). */
export interface OpenStoreOptions {
  readonly readonly?: boolean;
  /** Apply pending migrations (default true; doctor opens without migrating). */
  readonly migrate?: boolean;
  /**
   * For a process that serves requests (the library, the server): do not wait long behind another writer for
   * hints such as last-used times, and do not pay a sync per such write.
   */
  readonly serving?: boolean;
  /** How long a write waits for another writer's lock before failing (default 5 s). */
  readonly busyTimeoutMs?: number;
  /**
   * For a bulk writer whose work is redone when lost (log ingest: its read position commits with each batch): the
   * last commits may be lost on power loss, never half of one, so they need not wait for a sync each.
   */
  readonly bulk?: boolean;
  /**
   * The origin (host) whose audit chain and meta the store shows, instead of this host's: verifying another host's
   * chain in a shared PostgreSQL store. Read-only use. SQLite ignores it: its file holds one chain.
   */
  readonly origin?: string;
}
