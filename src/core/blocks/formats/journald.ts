/**
 * `journalctl -o json` lines: an envelope whose MESSAGE is a line of another format (an app's JSON or logfmt, an
 * nginx line), classified by that format's classifier. The entry's own time (`__REALTIME_TIMESTAMP`, microseconds)
 * stands in when the message gives none.
 */
import { parseJsonObject } from './json.js';
import { UNRECOGNISED, type LineClassifier, type LineVerdict } from './types.js';

/** The MESSAGE and time of a journald JSON entry, or undefined when it is not one. */
export function journalEntry(line: string): { message: string; at: number | undefined } | undefined {
  const o = parseJsonObject(line);
  if (!o || typeof o['__REALTIME_TIMESTAMP'] !== 'string') return undefined;
  const msg = o['MESSAGE'];
  // journald writes a message that is not valid UTF-8 as an array of bytes: not text any format can read.
  if (typeof msg !== 'string') return undefined;
  const us = o['__REALTIME_TIMESTAMP'];
  return { message: msg, at: /^\d{1,17}$/.test(us) ? Math.floor(Number(us) / 1000) : undefined };
}

export function journaldClassifier(inner: LineClassifier): LineClassifier {
  return {
    format: 'journald',
    detail: inner.detail ? `${inner.format}:${inner.detail}` : inner.format,
    classify(line: string): LineVerdict {
      const e = journalEntry(line);
      if (!e) return UNRECOGNISED;
      const v = inner.classify(e.message);
      if ((v.kind === 'failure' || v.kind === 'decision') && v.at === undefined && e.at !== undefined) return { ...v, at: e.at };
      return v;
    },
  };
}
