import { usageError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration such as `90s`, `15m`, `24h`, `30d`, `2w` or a combination (`1h30m`) into milliseconds.
 * `what` names the flag in the error.
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim();
  const re = /(\d+)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(trimmed)) !== null) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    matched = re.lastIndex;
  }
  if (trimmed === '' || matched !== trimmed.length || !Number.isSafeInteger(total)) {
    throw usageError(`${what}: invalid duration '${text}': use a number and a unit, e.g. 15m, 24h, 30d`);
  }
  return total;
}

/** Formats milliseconds compactly (`1d2h`, `15m`, `0s`), largest units first, at most two units. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return ms <= 0 ? '0s' : `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000);
  for (const [unit, secs] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= secs) {
      parts.push(`${Math.floor(rest / secs)}${unit}`);
      rest %= secs;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}
