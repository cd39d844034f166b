import type { Db } from '../db.js';
import type { SecretEvent, SecretsRepository, TrackedSecret } from '../secrets.js';
import type { Sync } from './async-repo.js';

/** Rotation history of secrets in `.env` and secrets files (no values, only keyed fingerprints). */
export class SecretsRepo implements Sync<SecretsRepository> {
  private readonly insertStmt;
  private readonly lastStmt;
  private readonly trackedStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, string | null, string]>(
      'INSERT INTO secret_events (file, name, kind, action, fingerprint, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.lastStmt = db.prepare<[string, string], { at: string }>(
      "SELECT at FROM secret_events WHERE file = ? AND name = ? AND action IN ('rotated', 'created') ORDER BY at DESC, id DESC LIMIT 1",
    );
    this.trackedStmt = db.prepare<[], TrackedSecret>(`
      SELECT e.file AS file, e.name AS name, e.kind AS kind, e.at AS lastRotatedAt, e.fingerprint AS fingerprint,
             (SELECT COUNT(*) FROM secret_events c WHERE c.file = e.file AND c.name = e.name AND c.action IN ('rotated', 'created')) AS rotations
      FROM secret_events e
      WHERE e.action IN ('rotated', 'created')
        AND e.id = (SELECT l.id FROM secret_events l WHERE l.file = e.file AND l.name = e.name AND l.action IN ('rotated', 'created')
                    ORDER BY l.at DESC, l.id DESC LIMIT 1)
      ORDER BY e.file, e.name
    `);
  }

  lastRotation(file: string, name: string): Date | undefined {
    const row = this.lastStmt.get(file, name);
    return row ? new Date(row.at) : undefined;
  }

  record(events: readonly SecretEvent[]): void {
    for (const e of events) this.insertStmt.run(e.file, e.name, e.kind, e.action, e.fingerprint, e.at);
  }

  tracked(): TrackedSecret[] {
    return this.trackedStmt.all();
  }
}
