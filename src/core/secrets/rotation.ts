import { usageError } from '../errors.js';
import { copyValue, entriesOf, entryValue, insertValue, rawValue, removeKey, setValue, type EnvDocument } from './env-file.js';
import { assessSecret } from './strength.js';

export interface RotateOptions {
  /** Add a name that is absent instead of refusing. */
  readonly create: boolean;
  /** Keep the old value as NAME_PREVIOUS (FILE.previous) so services accept both during a grace period. */
  readonly keepPrevious: boolean;
  /** Remove the previous value once this long has passed since the last rotation. */
  readonly graceMs?: number | undefined;
  /** Do nothing for a secret rotated less than this long ago (the cron case). */
  readonly ifOlderThanMs?: number | undefined;
}

export type SecretAction = 'rotated' | 'created' | 'skipped';
/** What happened to the previous value: kept (set to the old value), dropped after the grace, removed, left as it was. */
export type PreviousAction = 'kept' | 'dropped' | 'removed' | 'unchanged' | 'none' | 'not-kept-weak';

export interface SecretPlan {
  readonly name: string;
  readonly previousName: string;
  readonly action: SecretAction;
  readonly previous: PreviousAction;
  /** The last rotation before this run known to the store, ISO 8601; null when agentsec never rotated it. */
  readonly previouslyRotatedAt: string | null;
  /** How many lines held the name (duplicates are all updated). */
  readonly occurrences: number;
  /** Why a previous value was kept or not, or why the secret was skipped. */
  readonly note?: string;
}

export interface RotationPlan {
  readonly secrets: SecretPlan[];
  readonly changed: boolean;
  /** The new values by name: kept apart from `secrets` so that no report ever serialises one. */
  readonly values: Map<string, string>;
}

export type LastRotation = (name: string) => Date | undefined;

function previousWorthKeeping(old: string): { keep: boolean; note?: string } {
  if (old === '') return { keep: false, note: 'old value was empty' };
  // A template default kept as NAME_PREVIOUS would go on being accepted during the grace period: drop it now.
  if (assessSecret(old).knownDefault) return { keep: false, note: 'old value was a known default: not kept' };
  return { keep: true };
}

function graceOver(last: Date | undefined, now: Date, graceMs: number | undefined): boolean {
  return graceMs !== undefined && last !== undefined && now.getTime() - last.getTime() >= graceMs;
}

/**
 * Rotates `names` in a parsed `.env` document in place. Refuses (usage error) an absent name without `create`,
 * before changing anything. `newSecret` supplies each fresh value.
 */
export function planEnvRotation(doc: EnvDocument, names: readonly string[], opts: RotateOptions, lastRotation: LastRotation, now: Date, newSecret: () => string): RotationPlan {
  const unique = [...new Set(names)];
  if (!opts.create) {
    const missing = unique.filter((n) => entriesOf(doc, n).length === 0);
    if (missing.length > 0) throw usageError(`${missing.join(', ')} not found in the env file: pass --create to add ${missing.length > 1 ? 'them' : 'it'}`);
  }
  const secrets: SecretPlan[] = [];
  const values = new Map<string, string>();
  let changed = false;
  for (const name of unique) {
    const previousName = `${name}_PREVIOUS`;
    const last = lastRotation(name);
    const base = { name, previousName, previouslyRotatedAt: last ? last.toISOString() : null };
    const occurrences = entriesOf(doc, name).length;
    const hasPrevious = entriesOf(doc, previousName).length > 0;
    if (occurrences === 0) {
      const value = newSecret();
      insertValue(doc, name, value);
      values.set(name, value);
      changed = true;
      secrets.push({ ...base, action: 'created', previous: hasPrevious ? 'unchanged' : 'none', occurrences: 1 });
      continue;
    }
    const fresh = opts.ifOlderThanMs !== undefined && last !== undefined && now.getTime() - last.getTime() < opts.ifOlderThanMs;
    if (fresh) {
      if (hasPrevious && graceOver(last, now, opts.graceMs)) {
        removeKey(doc, previousName);
        changed = true;
        secrets.push({ ...base, action: 'skipped', previous: 'dropped', occurrences, note: 'rotated recently; grace period over' });
      } else {
        secrets.push({ ...base, action: 'skipped', previous: hasPrevious ? 'unchanged' : 'none', occurrences, note: 'rotated recently' });
      }
      continue;
    }
    const effective = entriesOf(doc, name)[occurrences - 1];
    const from = effective ? { raw: rawValue(effective), quote: effective.quote, decoded: entryValue(effective) } : { raw: '', quote: '' as const, decoded: '' };
    const old = from.decoded;
    const value = newSecret();
    setValue(doc, name, value);
    values.set(name, value);
    changed = true;
    let previous: PreviousAction;
    let note: string | undefined;
    const worth = previousWorthKeeping(old);
    if (opts.keepPrevious && worth.keep) {
      // Inserted empty (fits any quoting), then filled with the old text verbatim.
      if (!hasPrevious) insertValue(doc, previousName, '', name);
      copyValue(doc, previousName, from);
      previous = 'kept';
    } else {
      // A NAME_PREVIOUS left from an earlier rotation holds an even older secret: it goes too.
      previous = hasPrevious && removeKey(doc, previousName) > 0 ? 'removed' : 'none';
      if (opts.keepPrevious) {
        note = worth.note;
        previous = previous === 'removed' ? 'removed' : 'not-kept-weak';
      }
    }
    secrets.push({ ...base, action: 'rotated', previous, occurrences, ...(note ? { note } : {}) });
  }
  return { secrets, changed, values };
}

export interface SecretFileContent {
  readonly value: string;
  /** The final line ending ('' when the file has none). */
  readonly eol: string;
}

/** Parses a Docker secrets file: the value alone, with at most one final newline. */
export function parseSecretFile(text: string): SecretFileContent {
  const m = /^([^\r\n]*)(\r\n|\n)?$/.exec(text);
  if (!m) throw usageError('secrets file has more than one line: it must hold only the value');
  return { value: m[1] as string, eol: m[2] ?? '' };
}

export interface SecretFilePlan {
  readonly plan: SecretPlan;
  /** New content of the file, or undefined when it stays. */
  readonly newText: string | undefined;
  /** New content of FILE.previous; null to delete it; undefined to leave it. */
  readonly previousText: string | null | undefined;
  readonly value: string | undefined;
}

/** The same decisions as {@link planEnvRotation} for a secrets file and its FILE.previous. */
export function planSecretFileRotation(
  name: string,
  current: SecretFileContent,
  hasPrevious: boolean,
  opts: RotateOptions,
  last: Date | undefined,
  now: Date,
  newSecret: () => string,
): SecretFilePlan {
  const base = { name, previousName: `${name}.previous`, previouslyRotatedAt: last ? last.toISOString() : null, occurrences: 1 };
  const fresh = opts.ifOlderThanMs !== undefined && last !== undefined && now.getTime() - last.getTime() < opts.ifOlderThanMs;
  if (fresh) {
    if (hasPrevious && graceOver(last, now, opts.graceMs)) {
      return { plan: { ...base, action: 'skipped', previous: 'dropped', note: 'rotated recently; grace period over' }, newText: undefined, previousText: null, value: undefined };
    }
    return { plan: { ...base, action: 'skipped', previous: hasPrevious ? 'unchanged' : 'none', note: 'rotated recently' }, newText: undefined, previousText: undefined, value: undefined };
  }
  const value = newSecret();
  const newText = value + current.eol;
  const worth = previousWorthKeeping(current.value);
  if (opts.keepPrevious && worth.keep) {
    return { plan: { ...base, action: 'rotated', previous: 'kept' }, newText, previousText: current.value + current.eol, value };
  }
  const previous: PreviousAction = hasPrevious ? 'removed' : opts.keepPrevious ? 'not-kept-weak' : 'none';
  const note = opts.keepPrevious ? worth.note : undefined;
  return { plan: { ...base, action: 'rotated', previous, ...(note ? { note } : {}) }, newText, previousText: hasPrevious ? null : undefined, value };
}
