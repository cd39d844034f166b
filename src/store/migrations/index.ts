import type { Database } from 'better-sqlite3';
import { m0001Meta } from './0001-meta.js';
import { m0003Secrets } from './0003-secrets.js';

/** A numbered schema step. `up` runs inside one immediate transaction together with the `user_version` bump. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}

/** Every migration, in order. A later issue adds its tables by appending one module here. */
export const MIGRATIONS: readonly Migration[] = [m0001Meta, m0003Secrets];
