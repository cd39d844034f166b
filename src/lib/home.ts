import { resolveHome } from '../platform/paths.js';

// Library calls resolve the home on every request; the answer depends only on the argument (and an environment a
// server does not change), so it is memoised, bounded.
const resolved = new Map<string, string>();
const LIMIT = 10_000;

/** The home a library call works on: `home` if given, else AGENTSEC_HOME, else $XDG_DATA_HOME/agentsec. */
export function libraryHome(home: string | undefined): string {
  const memoKey = home ?? '';
  let path = resolved.get(memoKey);
  if (path === undefined) {
    path = resolveHome({ flag: home, env: process.env, cwd: process.cwd() });
    if (resolved.size >= LIMIT) resolved.clear();
    resolved.set(memoKey, path);
  }
  return path;
}
