import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';

/** The nginx binary, or undefined when the Debian package is not installed. */
export function nginxBinary(): string | undefined {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
}

/** A free loopback port (closed again before returning: a tiny race, acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Nginx {
  readonly child: ChildProcess;
  readonly prefix: string;
  stop(): Promise<void>;
  errorLog(): string;
}

/**
 * Starts nginx in the foreground with its own prefix in `dir` and `httpBlock` as the body of `http { }`. Workers run
 * as the current user (root in CI: `user root`), so they can read the temp dir.
 */
export async function startNginx(dir: string, httpBlock: string, waitPort: number): Promise<Nginx> {
  const bin = nginxBinary() as string;
  const prefix = join(dir, 'nginx');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const user = process.getuid?.() === 0 ? 'user root root;\n' : '';
  const conf = `${user}worker_processes 1;\ndaemon off;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix}/tmp/body;\n  proxy_temp_path ${prefix}/tmp/proxy;\n  fastcgi_temp_path ${prefix}/tmp/fastcgi;\n  uwsgi_temp_path ${prefix}/tmp/uwsgi;\n  scgi_temp_path ${prefix}/tmp/scgi;\n${httpBlock}\n}\n`;
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child = spawn(bin, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const t0 = Date.now();
  for (;;) {
    const up = await new Promise<boolean>((r) => {
      const c = connect(waitPort, '127.0.0.1', () => {
        c.destroy();
        r(true);
      });
      c.on('error', () => r(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() - t0 > 10_000) throw new Error(`nginx did not start: ${stderr}${readLog(prefix)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    prefix,
    errorLog: () => readLog(prefix),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

function readLog(prefix: string): string {
  try {
    return readFileSync(join(prefix, 'logs', 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

