import type { ActiveRule } from './engine.js';
import { RULES } from './registry.js';
import type { ProfileOptions, Severity } from './types.js';

export const PROFILE_NAMES = ['default', 'strict'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * `default`: the catalog as written. `strict`: TLS 1.3 only, 15-minute access tokens, and the rules that are off by
 * default (unpinned packages) switched on. (HSTS-required belongs to the nginx/Traefik rules of part 2.)
 */
export const PROFILES: Readonly<Record<ProfileName, ProfileOptions>> = {
  default: { name: 'default', minTls: '1.2', maxAccessTokenMinutes: 60 },
  strict: { name: 'strict', minTls: '1.3', maxAccessTokenMinutes: 15 },
};

/** What `.agentsec.yaml` says of one rule: off, on, or on at another severity. */
export type RuleSetting = 'off' | 'on' | Severity;

/** The rules that run, at their effective severity, for a profile and the config's per-rule settings. */
export function activeRules(profile: ProfileName, overrides: Readonly<Record<string, RuleSetting>> = {}): ActiveRule[] {
  const out: ActiveRule[] = [];
  for (const rule of RULES) {
    const o = overrides[rule.meta.id];
    const onByProfile = !rule.meta.defaultOff || profile === 'strict';
    if (o === 'off' || (o === undefined && !onByProfile)) continue;
    out.push({ rule, severity: o === undefined || o === 'on' ? rule.meta.severity : o });
  }
  return out;
}
