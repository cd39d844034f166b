import type { Db } from '../db.js';
import type { MetaRepository } from '../meta.js';
import type { Sync } from './async-repo.js';

/** Key/value facts about the store itself (created_at, created_by). */
export class MetaRepo implements Sync<MetaRepository> {
  private readonly getStmt;
  private readonly setStmt;
  private readonly insertStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.setStmt = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.insertStmt = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }

  /** Sets the value only if the key is absent; returns true when it did. */
  setIfAbsent(key: string, value: string): boolean {
    return this.insertStmt.run(key, value).changes > 0;
  }
}
