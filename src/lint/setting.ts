import type { Origin } from './parse/interpolate.js';
import type { Location, Position } from './position.js';

/**
 * One key/value an agent server reads, whatever file it is written in: a `.env` line, a compose `environment:`
 * entry, a settings-file leaf (`[server] tls_enabled`), a Dockerfile `ENV`/`ARG`. Kept apart from document.ts so the
 * parsers that produce settings do not import the documents built from them.
 */
export interface Setting {
  /** As written: `TLS_ENABLED`, `server.tls_enabled`. */
  readonly key: string;
  /** The last segment in UPPER_SNAKE: `TLS_ENABLED` (camelCase split). */
  readonly name: string;
  /** Every segment in UPPER_SNAKE: `SERVER_TLS_ENABLED`. */
  readonly path: string;
  /** As written, before interpolation; undefined for a bare `KEY` with no value. */
  readonly raw: string | undefined;
  /** The value the server would see; undefined when it depends on a variable unknown at lint time. */
  readonly value: string | undefined;
  readonly interpolated: boolean;
  readonly origin: Origin;
  /** Inline `${NAME:-text}` defaults written in the value. */
  readonly defaults: ReadonlyArray<{ readonly name: string; readonly text: string; readonly at: Position }>;
  /** Where the key is written. */
  readonly at: Location;
  /** Where the effective value is written (the inline default, or the sibling .env line). */
  readonly valueAt: Location;
  /** The compose service it belongs to. */
  readonly service?: string;
  /** Written in a Dockerfile `ARG` (a build argument) rather than `ENV`. */
  readonly buildArg?: boolean;
  /**
   * A command-line flag of the container's command (`--no-auth`, `--log-level debug`): `key` is the flag as written,
   * `name` its UPPER_SNAKE form (`NO_AUTH`), `value` its argument or `true` for a bare flag.
   */
  readonly flag?: boolean;
}

const SNAKE_CACHE = new Map<string, string>();

/** `tlsEnabled`, `tls-enabled`, `tls.enabled` → `TLS_ENABLED`. */
export function upperSnake(key: string): string {
  const hit = SNAKE_CACHE.get(key);
  if (hit !== undefined) return hit;
  const out = toUpperSnake(key);
  if (SNAKE_CACHE.size < 50_000) SNAKE_CACHE.set(key, out);
  return out;
}

function toUpperSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
