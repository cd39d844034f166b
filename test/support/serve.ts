import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { BIN, ROOT } from './cli.js';

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The first TCP URL it listens on. */
  readonly url: string;
  readonly urls: readonly string[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves when stderr has a line matching `re` (or rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
}

/** Spawns the built binary's `serve` and waits for its `listening` line. */
export function startServe(args: readonly string[], opts: { env?: Record<string, string> } = {}): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], ...opts.env };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of [...waiters]) {
      const line = err.split('\n').find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stdout.resume();
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = (re: RegExp, ms = 15_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const line = err.split('\n').find((l) => re.test(l));
      if (line !== undefined) return resolve(line);
      const timer = setTimeout(() => reject(new Error(`no stderr line matching ${re} within ${ms} ms; stderr:\n${err}`)), ms);
      waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited ${code} before ${re}; stderr:\n${err}`));
      });
    });
  return waitFor(/"event":"listening"/).then((line) => {
    const urls = (JSON.parse(line) as { urls: string[] }).urls;
    return {
      child,
      urls,
      url: urls.find((u) => u.startsWith('http')) ?? '',
      stderr: () => err,
      waitFor,
      stop: (signal: NodeJS.Signals = 'SIGTERM') => {
        if (child.exitCode === null) child.kill(signal);
        return exited;
      },
    };
  });
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request (no keep-alive agent), over TCP or a Unix socket. */
export function httpGet(url: string, path: string, headers: Record<string, string> = {}, opts: { socketPath?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { ...(opts.socketPath ? { socketPath: opts.socketPath } : { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port }), path, method: opts.method ?? 'GET', headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
