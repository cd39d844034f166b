/**
 * The repository contract suites on the PostgreSQL backend: a real PostgreSQL server (test/support/postgres.ts) with
 * a fresh database per test; each `connect()` is another pool and listener, as another process of the host would be.
 */
import { after, test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { apiKeysContract } from './contract/api-keys.js';
import { auditContract } from './contract/audit.js';
import { blocksContract } from './contract/blocks.js';
import type { StoreFactory } from './contract/fixture.js';
import { jwtContract } from './contract/jwt.js';
import { secretsContract } from './contract/secrets.js';
import { serveCredentialsContract } from './contract/serve-credentials.js';
import { snapshotContract, storeContract } from './contract/store.js';
import { totpContract } from './contract/totp.js';
import { pgUnavailable, startPostgres, type PgServer } from '../support/postgres.js';

const missing = pgUnavailable();
if (missing) {
  test('postgres contract suites', (t) => t.skip(missing));
} else {
  let server: PgServer | undefined;
  const ensure = (): PgServer => (server ??= startPostgres());
  after(() => server?.stop());

  const postgres: StoreFactory = async () => {
    const s = ensure();
    const url = s.url(s.createDatabase('contract'));
    const open = () => openPostgresStore({ url }, {}, { origin: 'host-a' });
    const store = await open();
    const others: Array<{ close(): Promise<void> }> = [];
    return {
      store,
      async connect() {
        const o = await open();
        others.push(o);
        return o;
      },
      async cleanup() {
        for (const o of others) await o.close();
        await store.close();
      },
    };
  };

  storeContract('postgres', postgres);
  snapshotContract('postgres', postgres);
  apiKeysContract('postgres', postgres);
  secretsContract('postgres', postgres);
  totpContract('postgres', postgres);
  jwtContract('postgres', postgres);
  blocksContract('postgres', postgres);
  auditContract('postgres', postgres);
  serveCredentialsContract('postgres', postgres);
}
