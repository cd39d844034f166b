/**
 * The settings of one `blocks ingest` run: config.yaml's `blocks.ingest` and `blocks.trustedProxies` under the
 * caller's flags (flags win), and the fail2ban filter read from disk and compiled.
 */
import * as fs from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { compileFail2banFilter } from '../../core/blocks/fail2ban/filter.js';
import type { FormatSettings } from '../../core/blocks/formats/build.js';
import { compileEventMap, type EventMap, type FieldMap } from '../../core/blocks/formats/field-map.js';
import type { PresetName } from '../../core/blocks/formats/presets.js';
import type { LogFormatName } from '../../core/blocks/formats/types.js';
import type { BlockPolicy } from '../../core/blocks/policy.js';
import { usageError } from '../../core/errors.js';
import { parseCidr, type Cidr } from '../../core/net/index.js';
import type { Runtime } from '../runtime.js';

/** What a caller may give over config.yaml; field lists replace the config's and the preset's. */
export interface IngestChoices {
  readonly format?: LogFormatName | 'auto' | undefined;
  readonly preset?: PresetName | undefined;
  readonly messageFormat?: LogFormatName | undefined;
  /** A fail2ban filter file (absolute, or relative to `cwd`). */
  readonly filter?: string | undefined;
  readonly fields?: Partial<Record<keyof FieldMap, readonly string[]>> | undefined;
  readonly events?: Partial<Record<keyof EventMap, readonly string[]>> | undefined;
  readonly trustedProxies?: readonly string[] | undefined;
  readonly cwd: string;
}

export interface ResolvedIngest {
  readonly format: LogFormatName | 'auto';
  readonly settings: FormatSettings;
}

/** The biggest filter file read: real ones are a few KiB. */
const MAX_FILTER_BYTES = 1 << 20;

function readFilterFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw usageError(`cannot read filter file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw usageError(`filter ${path} is not a regular file`);
    if (st.size > MAX_FILTER_BYTES) throw usageError(`filter ${path} is over ${MAX_FILTER_BYTES >> 10} KiB: not a fail2ban filter`);
    const buf = fs.readFileSync(fd);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
    if (text.includes('\u0000')) throw usageError(`filter ${path} is a binary file, not a fail2ban filter`);
    return text;
  } finally {
    fs.closeSync(fd);
  }
}

const list = (v: string | readonly string[] | undefined): readonly string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : v);

function cidrs(values: readonly string[], what: string): Cidr[] {
  return values.map((text) => {
    const r = parseCidr(text.includes('/') ? text : text.includes(':') ? `${text}/128` : `${text}/32`);
    if (!r.ok) throw usageError(`${what}: '${text.slice(0, 64)}' is not an IP address or CIDR`);
    return r.cidr;
  });
}

/** Config and flags merged into the settings of a run. @throws AgentsecError (usage) for a bad value or filter. */
export async function resolveIngest(rt: Runtime, policy: BlockPolicy, c: IngestChoices): Promise<ResolvedIngest> {
  const config = (await rt.config()).blocks;
  const ing = config?.ingest ?? {};
  const fields: Partial<Record<keyof FieldMap, readonly string[]>> = {};
  for (const k of ['ip', 'time', 'event', 'status', 'forwardedFor', 'duration'] as const) {
    const v = c.fields?.[k] ?? list(ing.fields?.[k]);
    if (v !== undefined) fields[k] = v;
  }
  const events: Partial<Record<keyof EventMap, readonly string[]>> = {};
  for (const k of ['auth', 'ratelimit', 'decision'] as const) {
    const v = c.events?.[k] ?? ing.events?.[k];
    if (v !== undefined) events[k] = v;
  }
  try {
    // Checked now, whatever the log turns out to hold: a bad pattern is a configuration error even on an empty read.
    compileEventMap({ auth: events.auth ?? [], ratelimit: events.ratelimit ?? [], decision: events.decision ?? [] }, 'blocks.ingest.events');
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const trusted = c.trustedProxies !== undefined ? cidrs(c.trustedProxies, '--trusted-proxy') : cidrs(config?.trustedProxies ?? [], 'config blocks.trustedProxies');
  const filterPath = c.filter !== undefined ? (isAbsolute(c.filter) ? c.filter : join(c.cwd, c.filter)) : ing.filter !== undefined ? (isAbsolute(ing.filter) ? ing.filter : join(rt.paths.home, ing.filter)) : undefined;
  let format = c.format ?? ing.format ?? 'auto';
  if (filterPath !== undefined && format === 'auto') format = 'fail2ban-filter';
  if (format === 'fail2ban-filter' && filterPath === undefined) throw usageError('--format fail2ban-filter needs --filter FILE (a fail2ban filter.d/*.conf)');
  if (filterPath !== undefined && format !== 'fail2ban-filter') throw usageError(`--filter applies to --format fail2ban-filter, not ${format}`);
  const filter = filterPath === undefined ? undefined : compileFail2banFilter(filterPath, readFilterFile, filterPath.slice(filterPath.lastIndexOf('/') + 1), () => rt.clock().getTime());
  const settings: FormatSettings = {
    rules: policy,
    trusted,
    preset: c.preset ?? ing.preset,
    fields,
    events,
    clfForwardedField: ing.forwardedField,
    messageFormat: c.messageFormat ?? ing.messageFormat,
    filter,
  };
  return { format, settings };
}
