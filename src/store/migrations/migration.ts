import type { Database } from 'better-sqlite3';

/** A numbered schema step. `up` runs inside one immediate transaction together with the `user_version` bump. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
