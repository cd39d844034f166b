/**
 * From a `postgres://` URL to the driver's connection settings, with the house rules: no password in the URL (it
 * would sit in config.yaml, the environment of every child, or argv), the password from PGPASSWORD or a passfile
 * that only its owner can read (as libpq checks), `sslmode` honoured, and a server that is neither a Unix socket nor
 * loopback refused without TLS unless the config allows it in so many words.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { PoolConfig } from 'pg';
import { AgentsecError, ExitCode, usageError } from '../../core/errors.js';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface PgTarget {
  readonly url: string;
  /** Allow a plaintext connection to a server that is neither a socket nor loopback (config `store.allowPlaintext`). */
  readonly allowPlaintext?: boolean | undefined;
}

export interface PgConnection {
  readonly config: PoolConfig;
  /** The URL without any secret, for messages and `store status`. */
  readonly location: string;
  readonly sslmode: SslMode;
  /** Where the server is: a socket directory, or a host. */
  readonly host: string;
  readonly local: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** True for a URL agentsec reads as a PostgreSQL store. */
export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Parses and checks a store URL; reads the passfile and TLS files it names. Errors are one line, exit 2. */
export function pgConnection(target: PgTarget, env: Env): PgConnection {
  let u: URL;
  // libpq accepts `postgres://user@/db` (no host: the default socket); the WHATWG parser refuses an empty host
  // after userinfo, so such a URL is read with a placeholder host that is then ignored.
  const noHost = /^postgres(ql)?:\/\/([^/@?#]*@)?(?=[/?#]|$)/i.test(target.url);
  try {
    u = new URL(noHost ? target.url.replace(/^(postgres(?:ql)?:\/\/(?:[^/@?#]*@)?)/i, '$1placeholder.invalid') : target.url);
  } catch {
    throw usageError('store: not a valid postgres:// URL');
  }
  if (!isPostgresUrl(target.url)) throw usageError('store: the URL must start with postgres://');
  if (u.password !== '') {
    throw usageError('store: the URL holds a password: remove it and give it in PGPASSWORD or a passfile (PGPASSFILE, ~/.pgpass, or ?passfile=), never in the URL');
  }
  const params = u.searchParams;
  const known = new Set(['host', 'port', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'passfile', 'application_name', 'connect_timeout']);
  for (const k of params.keys()) if (!known.has(k)) throw usageError(`store: unknown URL parameter ${k} (known: ${[...known].join(', ')})`);
  const host = params.get('host') ?? (!noHost && u.hostname ? decodeURIComponent(u.hostname) : '/var/run/postgresql');
  const socket = host.startsWith('/');
  const local = socket || isLoopback(host);
  const portText = params.get('port') ?? (u.port || '5432');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usageError(`store: bad port ${portText}`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined;
  const user = u.username ? decodeURIComponent(u.username) : (env.PGUSER ?? undefined);
  const modeText = params.get('sslmode') ?? (local ? 'disable' : 'verify-full');
  if (!SSL_MODES.includes(modeText as SslMode)) throw usageError(`store: sslmode ${modeText} is not one of ${SSL_MODES.join(', ')}`);
  let sslmode = modeText as SslMode;
  // The driver cannot fall back from TLS to plaintext: allow and prefer mean no TLS on a socket or loopback (where
  // TLS adds nothing), and TLS without verification elsewhere (the stricter reading of "prefer").
  if (sslmode === 'allow' || sslmode === 'prefer') sslmode = socket ? 'disable' : local ? 'disable' : 'require';
  const rootcert = params.get('sslrootcert');
  if (sslmode === 'require' && rootcert) sslmode = 'verify-ca'; // libpq: a root certificate given makes require verify it
  if (sslmode === 'disable' && !local && target.allowPlaintext !== true) {
    throw usageError(`store: ${host} is neither a Unix socket nor loopback and sslmode is disable: use TLS (sslmode=verify-full) or set store.allowPlaintext: true in config.yaml`);
  }
  if (socket && sslmode !== 'disable') throw usageError('store: TLS over a Unix socket is not possible: use sslmode=disable with a socket host');
  let ssl: false | ConnectionOptions = false;
  if (sslmode !== 'disable') {
    const opts: ConnectionOptions = { rejectUnauthorized: sslmode !== 'require', servername: isLoopback(host) ? undefined : host.replace(/^\[|\]$/g, '') };
    if (rootcert && rootcert !== 'system') opts.ca = readTlsFile(rootcert, 'sslrootcert');
    if (sslmode === 'verify-ca') opts.checkServerIdentity = () => undefined; // the chain is checked, not the name
    const cert = params.get('sslcert');
    const key = params.get('sslkey');
    if (cert) opts.cert = readTlsFile(cert, 'sslcert');
    if (key) opts.key = readSecretFile(key, 'sslkey');
    ssl = opts;
  }
  const timeoutText = params.get('connect_timeout');
  const connectionTimeoutMillis = timeoutText ? Math.max(1, Number(timeoutText)) * 1000 : 10_000;
  const config: PoolConfig = {
    host,
    port,
    ...(database !== undefined ? { database } : {}),
    ...(user !== undefined ? { user } : {}),
    ssl,
    application_name: params.get('application_name') ?? 'agentsec',
    connectionTimeoutMillis,
  };
  const password = env.PGPASSWORD ?? passfilePassword(params.get('passfile') ?? env.PGPASSFILE, env, { host: socket ? 'localhost' : host, port, database: database ?? user ?? '', user: user ?? '' });
  if (password !== undefined) config.password = password;
  return { config, location: target.url, sslmode, host, local };
}

function readTlsFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new AgentsecError(`store: cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, ExitCode.Usage);
  }
}

/** A private file (the client key, a passfile): refused when it is a symlink or others can read it, as libpq does. */
function readSecretFile(path: string, what: string): string {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    throw new AgentsecError(`store: cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, ExitCode.Usage);
  }
  if (!st.isFile()) throw new AgentsecError(`store: ${what} ${path} is not a regular file`, ExitCode.Usage);
  if ((st.mode & 0o077) !== 0) throw new AgentsecError(`store: ${what} ${path} is readable by others: chmod 600 ${path}`, ExitCode.Usage);
  return readFileSync(path, 'utf8');
}

/**
 * The password of the first matching `host:port:database:user:password` line of a passfile (`*` matches anything,
 * `\:` and `\\` escape), like libpq's. An explicit passfile must exist; ~/.pgpass is read only when present.
 */
export function passfilePassword(explicit: string | undefined | null, env: Env, want: { host: string; port: number; database: string; user: string }): string | undefined {
  let path = explicit ?? undefined;
  if (path === undefined) {
    if (!env.HOME) return undefined;
    path = join(env.HOME, '.pgpass');
    try {
      lstatSync(path);
    } catch {
      return undefined;
    }
  }
  if (!isAbsolute(path)) throw usageError(`store: passfile ${path} must be an absolute path`);
  const text = readSecretFile(path, 'passfile');
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = splitPassLine(line);
    if (fields.length < 5) continue;
    const [h, p, d, us] = fields as [string, string, string, string, string];
    const match = (pat: string, v: string): boolean => pat === '*' || pat === v;
    if (match(h, want.host) && match(p, String(want.port)) && match(d, want.database) && match(us, want.user)) return fields.slice(4).join(':');
  }
  return undefined;
}

function splitPassLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else if (c === ':' && out.length < 4) (out.push(cur), (cur = ''));
    else cur += c;
  }
  out.push(cur);
  return out;
}
