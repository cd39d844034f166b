/**
 * What every log format's line classifier returns, and the counts kept per format. A classifier is pure and total:
 * any text in, one verdict out, never an exception (log lines are attacker-controlled input).
 */
import type { FailureKind } from '../policy.js';

import type { LogFormatName } from './names.js';

export { LOG_FORMATS, type LogFormatName } from './names.js';

/**
 * The longest log line read, in bytes (64 KiB, newline excluded). A real access or security log line is a few
 * hundred bytes; a longer one is a logged body or an attack on the reader, and is counted as overlong and skipped.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** What one log line means to the policy. */
export type LineVerdict =
  /** An auth failure or a rate-limit hit by `ip` (address text as the log wrote it), at `at` (epoch ms) when the line says. */
  | { readonly kind: 'failure'; readonly ip: string; readonly failure: FailureKind; readonly at: number | undefined }
  /**
   * A block the application already decided (`IP_BLOCKED`): imported as a block. `durationMs` is what the line
   * gives (null: permanent), undefined when it gives none (the policy's blockDuration applies).
   */
  | { readonly kind: 'decision'; readonly ip: string; readonly at: number | undefined; readonly durationMs: number | null | undefined; readonly event: string }
  /** A line of the format that is neither (a 200, an info event). */
  | { readonly kind: 'neutral' }
  /** Not a line of this format, or one whose client address cannot be read (a host name, a number, garbage). */
  | { readonly kind: 'unrecognised' };

export const NEUTRAL: LineVerdict = Object.freeze({ kind: 'neutral' });
export const UNRECOGNISED: LineVerdict = Object.freeze({ kind: 'unrecognised' });

/** One format's classifier, built once per run from its options. */
export interface LineClassifier {
  /** The format's name as reported (`json`, `fail2ban-filter` …). */
  readonly format: LogFormatName;
  /** A detail for the summary: the preset or filter in force (`source-ip`, `nginx-http-auth.conf`). */
  readonly detail?: string;
  classify(line: string): LineVerdict;
}

/** The counts of one format in one run: every line read lands in exactly one of the last four. */
export interface FormatCounts {
  read: number;
  failures: number;
  neutral: number;
  unrecognised: number;
  overlong: number;
}

export function emptyCounts(): FormatCounts {
  return { read: 0, failures: 0, neutral: 0, unrecognised: 0, overlong: 0 };
}

/** The HTTP status codes that count, from the policy (`blocks.nginx.authStatuses` / `ratelimitStatuses`). */
export interface StatusRules {
  readonly authStatuses: readonly number[];
  readonly ratelimitStatuses: readonly number[];
}

/** The failure kind of an HTTP status under the rules, or undefined. */
export function statusFailure(rules: StatusRules, status: number): FailureKind | undefined {
  return rules.authStatuses.includes(status) ? 'auth' : rules.ratelimitStatuses.includes(status) ? 'ratelimit' : undefined;
}
