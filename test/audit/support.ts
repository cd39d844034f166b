import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog } from '../../src/services/audit.js';
import { signCheckpoint, parseNote } from '../../src/core/audit/checkpoint.js';
import { hashCanon, parseCanon } from '../../src/core/audit/entry.js';
import { canonicalize } from '../../src/core/audit/canonical.js';
import { generateSigningKey, type SigningKey } from '../../src/core/audit/keys.js';
import { AuditKeyring } from '../../src/platform/audit-keyring.js';
import { openStore } from '../../src/store/open.js';
import { run } from '../../src/cli/main.js';
import { fakeIo } from '../support/io.js';

export const EPOCH_MS = 15 * 60_000;

/**
 * Initialises a home with the real binary, then writes `entries` events through the real writer with a controlled
 * clock, sealing every `perEpoch` entries. Returns the epoch-0 public key printed by init.
 */
export async function buildChain(home: string, opts: { entries: number; perEpoch: number; start?: number; step?: number }): Promise<{ pubkey: string }> {
  let t = opts.start ?? Date.now();
  // init runs in-process so that the whole chain, checkpoint 0 included, follows the test's clock.
  const io = fakeIo();
  const code = await run(['--home', home, 'init', '--quiet'], io, { ctxOverrides: { clock: () => new Date(t) } });
  if (code !== 0) throw new Error(`init failed: ${io.err()}`);
  const pubkey = io.out().trim();
  const store = await openStore(join(home, 'agentsec.db'));
  try {
    const log = new AuditLog({ store, keyring: new AuditKeyring(home), clock: () => new Date(t), epochMs: EPOCH_MS });
    for (let i = 0; i < opts.entries; i++) {
      await log.append([{ type: 'test.event', actor: { user: 'tester' }, data: { i } }]);
      t += opts.step ?? 1;
      if (i % opts.perEpoch === opts.perEpoch - 1) await log.seal(true);
    }
  } finally {
    await store.close();
  }
  return { pubkey };
}

/** Opens the store as an attacker would: raw SQL, append-only triggers dropped. */
export function tamper(home: string, fn: (db: Database.Database) => void): void {
  const db = new Database(join(home, 'agentsec.db'));
  try {
    db.exec(`DROP TRIGGER audit_entries_append_only_update; DROP TRIGGER audit_entries_append_only_delete;
             DROP TRIGGER audit_checkpoints_append_only_update; DROP TRIGGER audit_checkpoints_append_only_delete;`);
    db.transaction(() => fn(db))();
  } finally {
    db.close();
  }
}

export function entryAt(db: Database.Database, seq: number): { hash: string; canon: string } {
  return db.prepare('SELECT hash, canon FROM audit_entries WHERE seq = ?').get(seq) as { hash: string; canon: string };
}

/** Rewrites an entry's data and returns the new canonical text and hash (recomputed, as a careful attacker would). */
export function rewriteData(canon: string, data: Record<string, unknown>, overrides: Record<string, unknown> = {}): { canon: string; hash: string } {
  const e = parseCanon(canon);
  if (!e) throw new Error('bad canon');
  const next = canonicalize({ ...e, data, ...overrides });
  return { canon: next, hash: hashCanon(next) };
}

/**
 * Re-signs every checkpoint with a fresh key chain (an attacker replacing the public key in the store). With `home`,
 * also puts the matching current-epoch key in audit-keys, as a careful attacker would, so the host looks healthy.
 */
export function resignAll(db: Database.Database, home?: string): string {
  const rows = db.prepare('SELECT epoch, note FROM audit_checkpoints ORDER BY epoch').all() as Array<{ epoch: number; note: string }>;
  let key: SigningKey = generateSigningKey();
  const first = key.publicKey;
  for (const row of rows) {
    const parsed = parseNote(row.note);
    if (!parsed.ok) throw new Error('bad note');
    const next = generateSigningKey();
    const note = signCheckpoint({ ...parsed.checkpoint, nextKey: next.publicKey }, key.privateKey, key.publicKey);
    db.prepare('UPDATE audit_checkpoints SET note = ? WHERE epoch = ?').run(note, row.epoch);
    key = next;
  }
  if (home !== undefined && rows.length > 0) new AuditKeyring(home).write((rows[rows.length - 1] as { epoch: number }).epoch + 1, key);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'audit.pubkey'").run(first);
  return first;
}

export function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
