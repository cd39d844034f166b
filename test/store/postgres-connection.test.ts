import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pgConnection } from '../../src/store/postgres/connection.js';
import { tempDir } from '../support/cli.js';

const env = {};

test('postgres url: a password in the URL is refused, and the message does not repeat it', () => {
  assert.throws(() => pgConnection({ url: 'postgres://agent:s3cret-pw@db.example.com/agentsec' }, env), (e: Error) => /password/.test(e.message) && !e.message.includes('s3cret-pw'));
});

test('postgres url: a socket or loopback host needs no TLS; a remote host defaults to verify-full', () => {
  assert.equal(pgConnection({ url: 'postgres://agent@/agentsec?host=/run/postgresql' }, env).sslmode, 'disable');
  assert.equal(pgConnection({ url: 'postgres://agent@/agentsec' }, env).config.host, '/var/run/postgresql');
  assert.equal(pgConnection({ url: 'postgres://agent@127.0.0.1:5433/agentsec' }, env).sslmode, 'disable');
  const remote = pgConnection({ url: 'postgres://agent@db.example.com/agentsec' }, env);
  assert.equal(remote.sslmode, 'verify-full');
  assert.deepEqual({ rejectUnauthorized: (remote.config.ssl as { rejectUnauthorized: boolean }).rejectUnauthorized }, { rejectUnauthorized: true });
});

test('postgres url: plaintext to a remote host is refused unless the config allows it explicitly', () => {
  assert.throws(() => pgConnection({ url: 'postgres://agent@db.example.com/agentsec?sslmode=disable' }, env), /neither a Unix socket nor loopback/);
  assert.equal(pgConnection({ url: 'postgres://agent@db.example.com/agentsec?sslmode=disable', allowPlaintext: true }, env).config.ssl, false);
});

test('postgres url: sslmode require verifies nothing, require with a root certificate verifies the chain, verify-full the name too', () => {
  const t = tempDir();
  try {
    const ca = join(t.dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const req = pgConnection({ url: 'postgres://agent@db.example.com/x?sslmode=require' }, env).config.ssl as { rejectUnauthorized: boolean };
    assert.equal(req.rejectUnauthorized, false);
    const vca = pgConnection({ url: `postgres://agent@db.example.com/x?sslmode=require&sslrootcert=${ca}` }, env);
    assert.equal(vca.sslmode, 'verify-ca');
    const vcaSsl = vca.config.ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity: () => undefined };
    assert.equal(vcaSsl.rejectUnauthorized, true);
    assert.match(vcaSsl.ca, /BEGIN CERTIFICATE/);
    assert.equal(vcaSsl.checkServerIdentity(), undefined);
    const full = pgConnection({ url: `postgres://agent@db.example.com/x?sslmode=verify-full&sslrootcert=${ca}` }, env).config.ssl as { rejectUnauthorized: boolean; checkServerIdentity?: unknown; servername: string };
    assert.equal(full.rejectUnauthorized, true);
    assert.equal(full.checkServerIdentity, undefined);
    assert.equal(full.servername, 'db.example.com');
    assert.throws(() => pgConnection({ url: 'postgres://agent@db.example.com/x?sslmode=bogus' }, env), /sslmode bogus/);
  } finally {
    t.cleanup();
  }
});

test('postgres password: PGPASSWORD first, else a passfile only its owner can read, matched as libpq does', () => {
  const t = tempDir();
  try {
    const pass = join(t.dir, 'pgpass');
    writeFileSync(pass, '# fleet\nother.example.com:5432:*:agent:wrong\ndb.example.com:5432:agentsec:agent:pa\\:ss\n');
    chmodSync(pass, 0o644);
    const url = `postgres://agent@db.example.com/agentsec?passfile=${pass}`;
    assert.throws(() => pgConnection({ url }, env), /readable by others: chmod 600/);
    chmodSync(pass, 0o600);
    assert.equal(pgConnection({ url }, env).config.password, 'pa:ss');
    assert.equal(pgConnection({ url }, { PGPASSWORD: 'from-env' }).config.password, 'from-env');
    assert.equal(pgConnection({ url: 'postgres://agent@db.example.com/agentsec' }, { PGPASSFILE: pass }).config.password, 'pa:ss');
    assert.equal(pgConnection({ url: 'postgres://agent@db.example.com/agentsec' }, { HOME: join(t.dir, 'none') }).config.password, undefined);
  } finally {
    t.cleanup();
  }
});
