import pg from 'pg';

export interface FeedStatus {
  /** True while the LISTEN connection is up. */
  readonly listening: boolean;
  /** When the last NOTIFY from another connection arrived (ms), null when none yet. */
  readonly lastNotifyAt: number | null;
  /** When the version was last moved without a notification (reconnect or the periodic resync), null when never. */
  readonly lastResyncAt: number | null;
  readonly reconnects: number;
}

/**
 * The change feed of a PostgreSQL store: one dedicated connection that LISTENs (a pooled connection would drop the
 * subscription when returned), a local counter moved by own commits and by other connections' NOTIFYs, a periodic
 * move as a safety net (a notification lost in a network partition, a write that bypassed the triggers) and a move
 * after every reconnect (what happened while it was down is unknown, so caches reload).
 */
export class PgChangeFeed {
  private version = 0;
  private client: pg.Client | null = null;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private resyncTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly probes = new Map<string, () => void>();
  private status = { listening: false, lastNotifyAt: null as number | null, lastResyncAt: null as number | null, reconnects: 0 };

  constructor(
    private readonly config: pg.ClientConfig,
    /** Backend process ids of this store's own pool: their notifications are already counted at commit. */
    private readonly ownPids: ReadonlySet<number>,
    private readonly resyncMs: number,
  ) {}

  /** Connects and LISTENs; the first connection's failure is the caller's (open fails), later ones retry. */
  async start(): Promise<void> {
    await this.connect();
    this.resyncTimer = setInterval(() => this.resync(), this.resyncMs);
    this.resyncTimer.unref();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.payload?.startsWith('probe:')) {
        this.probes.get(msg.payload)?.();
        return;
      }
      if (this.ownPids.has(msg.processId)) return;
      this.status.lastNotifyAt = Date.now();
      this.bump();
    });
    await client.connect();
    await client.query('LISTEN agentsec_changes');
    // The listening socket must not keep a process alive on its own (a library user who forgets close()).
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    this.client = client;
    this.status.listening = true;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.status.listening = false;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (!this.closed) {
      this.scheduleReconnect(250);
      // Subscribers hear of the loss at once: a server's caches must stop vouching for what the database can no
      // longer confirm (their refresh fails, so they fail closed), and they reload again after the reconnect.
      this.bump();
    }
  }

  private scheduleReconnect(delay: number): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().then(
        () => {
          this.status.reconnects++;
          this.resync();
        },
        () => this.scheduleReconnect(Math.min(delay * 2, 5000)),
      );
    }, delay);
    this.retryTimer.unref();
  }

  private resync(): void {
    this.status.lastResyncAt = Date.now();
    this.bump();
  }

  current(): number {
    return this.version;
  }

  /** Moves the version (an own commit, a notification, a resync) and tells the subscribers. */
  bump(): void {
    this.version++;
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A subscriber's failure is its own; the feed goes on for the others.
      }
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The feed's lag, measured: the time from a NOTIFY sent through `send` to its arrival on the listening connection
   * (the path every other host's change takes to reach this one). Rejects when none arrives within `timeoutMs`.
   */
  async probe(send: (payload: string) => Promise<void>, timeoutMs = 5000): Promise<number> {
    if (!this.client) throw new Error('the change feed is not listening (reconnecting)');
    const payload = `probe:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const started = performance.now();
    const arrived = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probes.delete(payload);
        reject(new Error(`no notification came back within ${timeoutMs} ms`));
      }, timeoutMs);
      this.probes.set(payload, () => {
        clearTimeout(timer);
        this.probes.delete(payload);
        resolve(performance.now() - started);
      });
    });
    await send(payload);
    return arrived;
  }

  feedStatus(): FeedStatus {
    return { ...this.status };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.listeners.clear();
    const c = this.client;
    this.client = null;
    this.status.listening = false;
    if (c) await c.end().catch(() => undefined);
  }
}
