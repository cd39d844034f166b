/**
 * `ms` as Go's `time.Duration.String()` writes it (`3h59m31.8s`, `1m0s`, `500ms`, `0s`, `-2.5s`): what CrowdSec's
 * decision API sends and its bouncers read back with `time.ParseDuration`. Millisecond precision: agentsec's times
 * are epoch milliseconds.
 */
export function formatGoDuration(ms: number): string {
  const whole = Math.trunc(ms);
  if (whole === 0) return '0s';
  const sign = whole < 0 ? '-' : '';
  let rest = Math.abs(whole);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const seconds = frac === 0 ? `${s}` : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (h > 0) return `${sign}${h}h${m}m${seconds}s`;
  if (m > 0) return `${sign}${m}m${seconds}s`;
  return `${sign}${seconds}s`;
}
