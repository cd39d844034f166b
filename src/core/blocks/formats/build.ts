/**
 * The classifier of a chosen format, and the detector that chooses one from the first lines of a file. Detection
 * never guesses: a format is chosen only when it fits most of the sampled lines and no other format does too;
 * otherwise the caller is told to give `--format` (and `--preset`), with what each candidate matched.
 */
import type { Cidr } from '../../net/index.js';
import { clfClassifier, clfFields, isTraefikClf } from './clf.js';
import { compileEventMap, objectReader, type EventMap, type FieldMap, type MappedOptions } from './field-map.js';
import { journaldClassifier, journalEntry } from './journald.js';
import { jsonClassifier, parseJsonObject } from './json.js';
import { logfmtClassifier, parseLogfmt } from './logfmt.js';
import { overlay, PRESET_MAPS, type PresetName } from './presets.js';
import type { LineClassifier, LogFormatName, StatusRules } from './types.js';

/** Everything a classifier is built from: the policy's status codes, trusted proxies, and the user's maps. */
export interface FormatSettings {
  readonly rules: StatusRules;
  readonly trusted: readonly Cidr[];
  /** A preset for `json` / `logfmt` lines (else detected, or the format's own). */
  readonly preset?: PresetName | undefined;
  /** The user's field and event maps, over the preset's (config `blocks.ingest`, flags). */
  readonly fields?: Partial<FieldMap> | undefined;
  readonly events?: Partial<EventMap> | undefined;
  /** The quoted field after the status that holds `$http_x_forwarded_for` in a CLF line (default 2). */
  readonly clfForwardedField?: number | undefined;
  /** The inner format of journald messages, when given (`--message-format`). */
  readonly messageFormat?: LogFormatName | undefined;
  /** A compiled fail2ban filter (`--filter`). */
  readonly filter?: LineClassifier | undefined;
}

/** A format with the preset its map comes from (json, logfmt) and, for journald, the messages' format. */
export interface FormatChoice {
  readonly format: LogFormatName;
  readonly preset?: PresetName | undefined;
  readonly inner?: FormatChoice | undefined;
}

const FORMAT_PRESET: Partial<Record<LogFormatName, PresetName>> = { 'traefik-json': 'traefik', 'caddy-json': 'caddy', logfmt: 'logfmt', json: 'source-ip' };

function mapped(preset: PresetName, s: FormatSettings): MappedOptions {
  const p = overlay(PRESET_MAPS[preset], s.fields, s.events);
  return { fields: p.fields, events: compileEventMap(p.events, 'blocks.ingest.events'), rules: s.rules, trusted: s.trusted };
}

/** Builds the classifier of a choice. @throws Error (one line) for a bad event pattern or a missing filter. */
export function classifierFor(c: FormatChoice, s: FormatSettings): LineClassifier {
  switch (c.format) {
    case 'nginx':
    case 'clf':
      return clfClassifier(c.format, { rules: s.rules, trusted: s.trusted, forwardedField: s.clfForwardedField ?? 2 });
    case 'traefik-clf':
      // Traefik's CLF has no forwarded-for field: its address column is the client Traefik saw.
      return clfClassifier('traefik-clf', { rules: s.rules, trusted: [] });
    case 'traefik-json':
    case 'caddy-json':
    case 'json': {
      const preset = c.preset ?? s.preset ?? (FORMAT_PRESET[c.format] as PresetName);
      return jsonClassifier(c.format, preset, mapped(preset, s));
    }
    case 'logfmt': {
      const preset = c.preset ?? s.preset ?? 'logfmt';
      return logfmtClassifier(preset, mapped(preset, s));
    }
    case 'journald': {
      const inner = c.inner ?? (s.messageFormat ? { format: s.messageFormat } : undefined);
      if (!inner) throw new Error('journald needs the format of its messages: give --message-format');
      return journaldClassifier(classifierFor(inner, s));
    }
    case 'fail2ban-filter':
      if (!s.filter) throw new Error('--format fail2ban-filter needs --filter FILE (a fail2ban filter.d/*.conf)');
      return s.filter;
  }
}

/** The candidate formats one sampled line fits (several when its shape is ambiguous). */
function candidatesOf(line: string, s: FormatSettings, journal: boolean): string[] {
  const obj = parseJsonObject(line);
  if (obj) {
    const read = objectReader(obj);
    const has = (names: readonly string[]) => names.every((n) => read(n) !== undefined);
    if (!journal && journalEntry(line)) return ['journald'];
    if (has(PRESET_MAPS.traefik.signature)) return ['traefik-json'];
    if (has(PRESET_MAPS.caddy.signature) && typeof obj['logger'] === 'string' && obj['logger'].startsWith('http.log.access')) return ['caddy-json'];
    if (s.fields?.ip) return s.fields.ip.some((n) => read(n) !== undefined) ? [`json:${s.preset ?? 'source-ip'}`] : [];
    const presets: PresetName[] = s.preset ? [s.preset] : ['source-ip', 'remote-addr', 'client-ip'];
    return presets.filter((p) => has(PRESET_MAPS[p].signature)).map((p) => `json:${p}`);
  }
  if (clfFields(line)) return [isTraefikClf(line) ? 'traefik-clf' : 'nginx'];
  const pairs = parseLogfmt(line);
  if (pairs) {
    const ipFields = s.fields?.ip ?? PRESET_MAPS.logfmt.fields.ip;
    if (ipFields.some((n) => pairs.has(n))) return ['logfmt'];
  }
  return [];
}

function choiceOf(name: string): FormatChoice {
  const [format, preset] = name.split(':') as [LogFormatName, PresetName | undefined];
  return preset ? { format, preset } : { format };
}

export type Detection = { readonly ok: true; readonly choice: FormatChoice; readonly note: string } | { readonly ok: false; readonly message: string };

/** How many lines the detector reads. */
export const DETECT_SAMPLE = 100;

/**
 * Chooses the format of a file from its first lines (blank ones skipped): the one candidate that fits more than
 * half of them. Two candidates that both do (a JSON line with both `source_ip` and `remote_addr`), or none, is
 * not a guess to make: the message says what was seen and which flag decides.
 */
export function detectFormat(lines: readonly string[], s: FormatSettings, journal = false): Detection {
  const sample = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '').slice(0, DETECT_SAMPLE);
  if (sample.length === 0) return { ok: false, message: 'no lines to tell the format from' };
  const counts = new Map<string, number>();
  for (const line of sample) for (const c of candidatesOf(line, s, journal)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const fit = [...counts].filter(([, n]) => n * 2 > sample.length).sort((a, b) => b[1] - a[1]);
  const seen = [...counts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ') || 'nothing known';
  if (fit.length !== 1) {
    const which = fit.length > 1 ? 'several formats fit' : 'no format fits most of them';
    return { ok: false, message: `cannot tell the log format from the first ${sample.length} lines (${which}: ${seen}): give --format (and --preset for JSON)` };
  }
  const [name, n] = fit[0] as [string, number];
  if (name === 'journald') return detectJournald(sample, s);
  return { ok: true, choice: choiceOf(name), note: `${name}, ${n} of ${sample.length} sampled lines` };
}

/**
 * journald entries whose messages' format is to be found (`--format journald` without `--message-format`): the
 * messages of the sampled entries go through the same detector.
 */
export function detectJournald(lines: readonly string[], s: FormatSettings): Detection {
  if (s.messageFormat) return { ok: true, choice: { format: 'journald', inner: { format: s.messageFormat } }, note: `journald of ${s.messageFormat}` };
  const messages = lines.map((l) => journalEntry(l)?.message ?? '');
  const inner = detectFormat(messages, s, true);
  if (!inner.ok) return { ok: false, message: `journald messages: ${inner.message.replace('give --format', 'give --message-format')}` };
  return { ok: true, choice: { format: 'journald', inner: inner.choice }, note: `journald of ${inner.note}` };
}
