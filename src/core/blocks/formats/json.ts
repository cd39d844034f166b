/** JSON log lines (one object per line) read through a field map: `json`, `traefik-json`, `caddy-json`. */
import { classifyRecord, objectReader, type MappedOptions } from './field-map.js';
import { UNRECOGNISED, type LineClassifier, type LineVerdict, type LogFormatName } from './types.js';

/** The object of a JSON line, or undefined when it is not one (an array, a number, broken JSON). */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  if (line.charCodeAt(0) !== 123) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function classifyJson(line: string, o: MappedOptions): LineVerdict {
  const obj = parseJsonObject(line);
  return obj ? classifyRecord(objectReader(obj), o) : UNRECOGNISED;
}

export function jsonClassifier(format: LogFormatName, detail: string, o: MappedOptions): LineClassifier {
  return { format, detail, classify: (line) => classifyJson(line, o) };
}
