import type { Migration } from './migration.js';

/**
 * External token issuers: another server sharing an HS256 secret with us (`jwt keygen --external`), or an identity
 * provider whose published keys (a JWKS file) we trust (`jwt trust`). Their keys live in jwt_keys like ours, tagged
 * with the issuer's name, so the keyring, the grace of a rotation and the change feed treat them alike; a key with
 * an issuer never signs and is never published. A JWKS key has no private half: its private_sealed is empty.
 */
export const m0009JwtIssuers: Migration = {
  version: 9,
  name: 'jwt-issuers',
  up(db) {
    db.exec(`
      CREATE TABLE jwt_issuers (
        name       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('secret', 'jwks')),
        issuer     TEXT,
        audience   TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      ALTER TABLE jwt_keys ADD COLUMN issuer_name TEXT REFERENCES jwt_issuers (name) ON DELETE CASCADE;
      CREATE INDEX jwt_keys_by_issuer ON jwt_keys (issuer_name);
    `);
  },
};
