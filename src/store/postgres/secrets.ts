import type { SecretEvent, SecretsRepository, TrackedSecret } from '../secrets.js';
import type { Exec } from './exec.js';

/** Rotation history of secrets (no values, only keyed fingerprints). */
export class PgSecretsRepo implements SecretsRepository {
  constructor(private readonly q: Exec) {}

  async lastRotation(file: string, name: string): Promise<Date | undefined> {
    const r = await this.q.query<{ at: string }>("SELECT at FROM secret_events WHERE file = $1 AND name = $2 AND action IN ('rotated', 'created') ORDER BY at DESC, id DESC LIMIT 1", [file, name]);
    const row = r.rows[0];
    return row ? new Date(row.at) : undefined;
  }

  async record(events: readonly SecretEvent[]): Promise<void> {
    for (const e of events) {
      await this.q.query('INSERT INTO secret_events (file, name, kind, action, fingerprint, at) VALUES ($1, $2, $3, $4, $5, $6)', [e.file, e.name, e.kind, e.action, e.fingerprint, e.at]);
    }
  }

  async tracked(): Promise<TrackedSecret[]> {
    const r = await this.q.query<TrackedSecret>(`
      SELECT e.file AS file, e.name AS name, e.kind AS kind, e.at AS "lastRotatedAt", e.fingerprint AS fingerprint,
             (SELECT count(*) FROM secret_events c WHERE c.file = e.file AND c.name = e.name AND c.action IN ('rotated', 'created')) AS rotations
      FROM secret_events e
      WHERE e.action IN ('rotated', 'created')
        AND e.id = (SELECT l.id FROM secret_events l WHERE l.file = e.file AND l.name = e.name AND l.action IN ('rotated', 'created')
                    ORDER BY l.at DESC, l.id DESC LIMIT 1)
      ORDER BY e.file, e.name`);
    return r.rows;
  }
}
