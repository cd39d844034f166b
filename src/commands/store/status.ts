import type { Command } from 'commander';
import { action, examples, type App } from '../../cli/command.js';
import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { latestSchemaVersion } from '../../store/open.js';

export type StoreStatus = {
  readonly backend: 'sqlite' | 'postgres';
  readonly location: string;
  readonly schemaVersion: number;
  readonly latestSchemaVersion: number;
  /** This host's origin in a shared store (its audit chain and meta); null on SQLite, where the home is the scope. */
  readonly origin: string | null;
  readonly server: string;
  /** Whether the change feed listens (PostgreSQL LISTEN); SQLite polls its file and always "listens". */
  readonly listening: boolean;
  /**
   * The change feed's lag in ms: how long a change made elsewhere takes to reach this host's caches. PostgreSQL:
   * measured now, as a NOTIFY round trip through the server. SQLite: its poll interval (250 ms), an upper bound.
   * There is no replication lag to report: every host reads the one primary.
   */
  readonly lagMs: number;
  readonly lastNotifyAt: string | null;
  readonly reconnects: number;
};

export async function runStoreStatus(ctx: Ctx): Promise<number> {
  const store = await ctx.store({ readonly: true, migrate: false });
  try {
    const info = await store.info();
    const doc: StoreStatus = {
      backend: store.backend,
      location: store.location,
      schemaVersion: await store.schemaVersion(),
      latestSchemaVersion: await latestSchemaVersion(),
      origin: info.origin,
      server: info.server,
      listening: info.listening,
      lagMs: info.lagMs,
      lastNotifyAt: info.lastNotifyAt === null ? null : new Date(info.lastNotifyAt).toISOString(),
      reconnects: info.reconnects,
    };
    if (ctx.out.json) ctx.out.document(doc);
    else
      ctx.out.pairs([
        ['backend', doc.backend],
        ['location', doc.location],
        ['schema version', doc.schemaVersion === doc.latestSchemaVersion ? String(doc.schemaVersion) : `${doc.schemaVersion} (this agentsec knows ${doc.latestSchemaVersion}: run any write command to migrate)`],
        ['origin', doc.origin ?? '-'],
        ['server', doc.server],
        ['change feed', doc.backend === 'postgres' ? (doc.listening ? 'LISTEN' : 'reconnecting') : 'polls the file every 250 ms'],
        ['lag', doc.backend === 'postgres' ? `${doc.lagMs} ms (NOTIFY round trip)` : '<= 250 ms (poll interval)'],
      ]);
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

export function registerStoreStatus(parent: Command, app: App): void {
  const cmd = parent
    .command('status')
    .description("show the store's backend, location, schema version and change-feed lag")
    .action(action(app, (ctx) => runStoreStatus(ctx)));
  examples(cmd, ['agentsec store status', 'agentsec store status --json | jq .lagMs']);
}
