/**
 * The repository contract suites on the SQLite backend. A second backend runs the same suites with its own factory.
 */
import { join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../support/cli.js';
import { apiKeysContract } from './contract/api-keys.js';
import { auditContract } from './contract/audit.js';
import { blocksContract } from './contract/blocks.js';
import type { StoreFactory } from './contract/fixture.js';
import { jwtContract } from './contract/jwt.js';
import { secretsContract } from './contract/secrets.js';
import { serveCredentialsContract } from './contract/serve-credentials.js';
import { snapshotContract, storeContract } from './contract/store.js';
import { totpContract } from './contract/totp.js';

const sqlite: StoreFactory = async () => {
  const t = tempDir('agentsec-store-');
  const path = join(t.dir, 'agentsec.db');
  const store = await openStore(path);
  const others: Array<{ close(): Promise<void> }> = [];
  return {
    store,
    async connect() {
      const s = await openStore(path);
      others.push(s);
      return s;
    },
    async cleanup() {
      for (const o of others) await o.close();
      await store.close();
      t.cleanup();
    },
  };
};

storeContract('sqlite', sqlite);
snapshotContract('sqlite', sqlite);
apiKeysContract('sqlite', sqlite);
secretsContract('sqlite', sqlite);
totpContract('sqlite', sqlite);
jwtContract('sqlite', sqlite);
blocksContract('sqlite', sqlite);
auditContract('sqlite', sqlite);
serveCredentialsContract('sqlite', sqlite);
