import type { MetaRepository } from '../meta.js';
import type { Exec } from './exec.js';

/** The meta table, scoped to this host's origin: each host of a fleet keeps its own facts (its chain's key). */
export class PgMetaRepo implements MetaRepository {
  constructor(
    private readonly q: Exec,
    private readonly origin: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const r = await this.q.query<{ value: string }>('SELECT value FROM meta WHERE origin = $1 AND key = $2', [this.origin, key]);
    return r.rows[0]?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.q.query('INSERT INTO meta (origin, key, value) VALUES ($1, $2, $3) ON CONFLICT (origin, key) DO UPDATE SET value = excluded.value', [this.origin, key, value]);
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    const r = await this.q.query('INSERT INTO meta (origin, key, value) VALUES ($1, $2, $3) ON CONFLICT (origin, key) DO NOTHING', [this.origin, key, value]);
    return r.rowCount > 0;
  }
}
