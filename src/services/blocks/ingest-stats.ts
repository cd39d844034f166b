/** The counts of one `blocks ingest` run, and the per-format view of them. */
import type { FormatCounts, LogFormatName } from '../../core/blocks/formats/types.js';

export interface IngestStats {
  /** The format read (detected or given) and its preset or filter; undefined until a line was read. */
  format: LogFormatName | undefined;
  formatDetail: string | undefined;
  lines: number;
  /** Bytes read (the progress line's). */
  bytes: number;
  /** Lines the format matched as a failure or a decision (before the time checks below). */
  matched: number;
  /** Failure lines counted by the policy (future-dated ones included, at the time they were read). */
  failures: number;
  /** Lines of the format that are neither a failure nor a decision. */
  neutral: number;
  /** Lines the format does not recognise, or whose client address is not an address. */
  unrecognised: number;
  /** Lines longer than MAX_LINE_BYTES: skipped without being held in memory. */
  overlong: number;
  /** Block decisions the log's app made (`IP_BLOCKED`), imported as blocks; and those that had already ended. */
  imported: number;
  expiredDecisions: number;
  /** Failure lines dated at or before now - find-time: not counted (they cannot be in a window ending now). */
  tooOld: number;
  /** Failure lines dated more than the clock skew ahead of now: counted as now. */
  futureDated: number;
  blocked: number;
  alreadyBlocked: number;
  allowlisted: number;
}

export function emptyStats(): IngestStats {
  return {
    format: undefined,
    formatDetail: undefined,
    lines: 0,
    bytes: 0,
    matched: 0,
    failures: 0,
    neutral: 0,
    unrecognised: 0,
    overlong: 0,
    imported: 0,
    expiredDecisions: 0,
    tooOld: 0,
    futureDated: 0,
    blocked: 0,
    alreadyBlocked: 0,
    allowlisted: 0,
  };
}

/** The per-format counts of a run (one format per file): read, failures, neutral, unrecognised, overlong. */
export function formatCounts(s: Readonly<IngestStats>): Record<string, FormatCounts> {
  if (s.format === undefined && s.lines === 0) return {};
  return { [s.format ?? 'unknown']: { read: s.lines, failures: s.matched, neutral: s.neutral, unrecognised: s.unrecognised, overlong: s.overlong } };
}
