import { MAX_LINE_BYTES } from '../../core/blocks/formats/types.js';

const EMPTY = Buffer.alloc(0);

/** What one chunk of input completed. */
export interface Framed {
  /** The complete lines that ended in this chunk, newline-separated (without the last newline). */
  readonly text: string;
  /** Lines longer than the limit that ended in this chunk without ever being held whole. */
  readonly overlong: number;
  /** Bytes of this chunk up to and including its last newline; -1 when it holds none (no line ended here). */
  readonly end: number;
}

/**
 * Cuts a byte stream into lines, holding at most {@link MAX_LINE_BYTES} of an unfinished one. A line that grows past
 * the limit is dropped as it streams by and counted once its newline arrives, so a log with a 200 MB line (a
 * request body logged by mistake, or an attacker's) costs no more memory than any other. Works on bytes, not on
 * decoded text, so a UTF-8 character split between two reads is decoded whole.
 *
 * A complete line can still be longer than the limit when it arrived inside one read: the caller checks each line
 * with {@link isOverlong}.
 */
export class LineFramer {
  private carry: Buffer = EMPTY;
  private skipping = false;

  push(chunk: Buffer): Framed {
    let start = 0;
    let overlong = 0;
    if (this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return { text: '', overlong: 0, end: -1 };
      this.skipping = false;
      overlong = 1;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last < start) {
      this.hold(chunk.subarray(start));
      return { text: '', overlong, end: overlong ? start : -1 };
    }
    const text = this.carry.length ? Buffer.concat([this.carry, chunk.subarray(start, last)]).toString('utf8') : chunk.toString('utf8', start, last);
    this.carry = EMPTY;
    this.hold(chunk.subarray(last + 1));
    return { text, overlong, end: last + 1 };
  }

  /** At the end of the input: the unfinished last line (its text, or that it was overlong). */
  finish(): { text: string; overlong: number } {
    const r = { text: this.carry.toString('utf8'), overlong: this.skipping ? 1 : 0 };
    this.reset();
    return r;
  }

  /** Forgets the unfinished line (the file was rotated or truncated under it). */
  reset(): void {
    this.carry = EMPTY;
    this.skipping = false;
  }

  private hold(rest: Buffer): void {
    if (rest.length === 0) return;
    if (this.carry.length + rest.length > MAX_LINE_BYTES) {
      this.carry = EMPTY;
      this.skipping = true;
      return;
    }
    // A copy: the reader reuses its buffer for the next read.
    this.carry = this.carry.length ? Buffer.concat([this.carry, rest]) : Buffer.from(rest);
  }
}

/** A decoded line longer than the limit in UTF-8 bytes (cheap: the byte length is only computed near the limit). */
export function isOverlong(line: string): boolean {
  // A UTF-16 code unit is 1 to 3 bytes of UTF-8 (a surrogate pair: 2 units, 4 bytes).
  if (line.length * 3 <= MAX_LINE_BYTES) return false;
  return line.length > MAX_LINE_BYTES || Buffer.byteLength(line, 'utf8') > MAX_LINE_BYTES;
}
