/**
 * A real PostgreSQL server for the tests: Debian's postgresql 15 (initdb + pg_ctl) in a temp directory, listening
 * only on a Unix socket in that directory (no TCP at all: `listen_addresses=''`), trust authentication on that
 * socket (the directory is private to the server's user and the tests). As root, the server runs as `postgres`
 * (PostgreSQL refuses to run as root) and the directory belongs to that user. One server per test file; a fresh
 * database per test. The server is stopped by `stop()`, and by an exit hook when a test file dies first.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', ...listPgBins()];

function listPgBins(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort()
      .reverse()
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

function pgBin(): string | undefined {
  return BIN_DIRS.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

export interface PgServer {
  /** The directory of the socket (the `host` of a socket URL). */
  readonly socketDir: string;
  readonly port: number;
  readonly binDir: string;
  /** A new, empty database; returns its name. */
  createDatabase(prefix?: string): string;
  /** The URL of a database on this server, over its socket, as the superuser (no password: trust on the socket). */
  url(db: string): string;
  /** Runs SQL with psql as the superuser; returns stdout (tuples only, unaligned). */
  psql(db: string, sql: string): string;
  /** Stops the server at once (a crash as far as clients can tell), and starts it again with `start()`. */
  kill(): void;
  start(): void;
  stop(): void;
}

/** Why PostgreSQL cannot run here, or undefined when it can. */
export function pgUnavailable(): string | undefined {
  if (!pgBin()) return 'PostgreSQL (initdb, pg_ctl) is not installed: apt-get install postgresql';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run PostgreSQL as';
  return undefined;
}

const SUPERUSER = 'agentsec_test';
let counter = 0;

/** Starts a server; throws when it cannot (call pgUnavailable() first to skip with a note). */
export function startPostgres(): PgServer {
  const binDir = pgBin();
  if (!binDir) throw new Error('PostgreSQL is not installed');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'agentsec-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  // Reachable by the tests' own user (root, or the server's user itself): the socket lives here.
  chmodSync(dir, 0o711);
  const port = 5432;
  const run = (bin: string, args: string[], check = true): string => {
    const cmd = asRoot ? 'runuser' : join(binDir, bin);
    const argv = asRoot ? ['-u', 'postgres', '--', join(binDir, bin), ...args] : args;
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' } });
    if (check && r.status !== 0) throw new Error(`${bin} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  // fsync off: the tests crash the server on purpose, never the machine; durability across a kill of the
  // server (not of the OS) does not need fsync.
  const opts = `-c listen_addresses='' -c unix_socket_directories='${dir}' -c port=${port} -c fsync=off -c max_connections=200 -c shared_buffers=16MB`;
  let running = false;
  const start = (): void => {
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', opts, 'start']);
    running = true;
  };
  const stopWith = (mode: 'fast' | 'immediate'): void => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', mode, 'stop'], false);
    running = false;
  };
  const onExit = (): void => {
    stopWith('immediate');
    rmSync(dir, { recursive: true, force: true });
  };
  start();
  process.once('exit', onExit);
  const psql = (db: string, sql: string): string => {
    const r = spawnSync(join(binDir, 'psql'), ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', SUPERUSER, '-d', db, '-c', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout;
  };
  return {
    socketDir: dir,
    port,
    binDir,
    createDatabase(prefix = 't') {
      const name = `${prefix}_${process.pid}_${++counter}`;
      psql('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    url(db) {
      return `postgres://${SUPERUSER}@/${db}?host=${encodeURIComponent(dir)}&port=${port}`;
    },
    psql,
    kill() {
      stopWith('immediate');
    },
    start,
    stop() {
      stopWith('fast');
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
