import { Chalk, type ChalkInstance } from 'chalk';

export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Computes the color level once. `--no-color` and a non-empty NO_COLOR turn color off (chalk alone ignores NO_COLOR);
 * FORCE_COLOR turns it on even when piped; otherwise color only on a TTY that is not TERM=dumb.
 */
export function colorLevel(opts: { flag: boolean; env: Readonly<Record<string, string | undefined>>; isTTY: boolean }): ColorLevel {
  if (!opts.flag) return 0;
  const { env } = opts;
  if (env['NO_COLOR']) return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!opts.isTTY || env['TERM'] === 'dumb') return 0;
  if (env['COLORTERM'] === 'truecolor' || env['COLORTERM'] === '24bit') return 3;
  if (/-256(color)?$/.test(env['TERM'] ?? '')) return 2;
  return 1;
}

export function makeChalk(level: ColorLevel): ChalkInstance {
  return new Chalk({ level });
}
