/** Small readings of compose services shared by several rules. */
import type { ComposeService } from './document.js';
import { isOn } from './rule-helpers.js';

/** The named networks a service joins (list or map form); none means the project's default network. */
export function networksOf(svc: ComposeService): string[] {
  const n = svc.get('networks');
  if (n?.kind === 'seq') return n.items.flatMap((i) => (i.kind === 'scalar' ? [i.value ?? i.raw] : []));
  if (n?.kind === 'map') return n.entries.map((e) => e.key);
  return [];
}

/** The words of `entrypoint:` and `command:` as one string. */
export function commandText(svc: ComposeService): string {
  const parts: string[] = [];
  for (const k of ['command', 'entrypoint']) {
    const n = svc.get(k);
    if (n?.kind === 'scalar') parts.push(n.value ?? n.raw);
    else if (n?.kind === 'seq') for (const i of n.items) if (i.kind === 'scalar') parts.push(i.value ?? i.raw);
  }
  return parts.join(' ');
}

/** Whether Redis asks for a password: `--requirepass`/`--aclfile`, or the images' password settings. */
export function redisHasPassword(svc: ComposeService): boolean {
  if (/requirepass|--aclfile/.test(commandText(svc))) return true;
  if (svc.environment.some((e) => e.name === 'ALLOW_EMPTY_PASSWORD' && isOn(e.value))) return false;
  return svc.environment.some((e) => /^(?:REDIS_PASSWORD|REDIS_ARGS|VALKEY_PASSWORD|KEYDB_PASSWORD|DFLY_requirepass|DFLY_REQUIREPASS)$/.test(e.name) && (e.value ?? e.raw ?? '') !== '');
}

