import { FORMATS, type Format, type RuleMeta } from './types.js';

/** Findings the engine itself reports (no check() of their own): parse errors and unjustified suppressions. */
export const SUPPRESSION_WITHOUT_REASON = 'lint/suppression-without-reason';

export function parseErrorId(format: Format): string {
  return `${format}/parse-error`;
}

const PARSE_ERROR_TITLES: Record<Format, string> = {
  env: '.env file does not parse',
  compose: 'compose file does not parse',
  dockerfile: 'Dockerfile does not parse',
  settings: 'settings file (JSON, YAML, TOML) does not parse',
  nginx: 'nginx configuration does not parse',
  k8s: 'Kubernetes manifest does not parse',
  traefik: 'Traefik configuration does not parse',
  caddy: 'Caddyfile does not parse',
};

/** The engine's own ids, documented like rules so `lint rules`, `lint explain` and SARIF know them. */
export const ENGINE_METAS: readonly RuleMeta[] = [
  ...FORMATS.map(
    (f): RuleMeta => ({
      id: parseErrorId(f),
      severity: 'high',
      title: PARSE_ERROR_TITLES[f],
      rationale: 'A file that does not parse cannot be checked, and the tool that reads it in production may reject it or read it differently. Lint fails closed: a parse error makes the exit code 2 whatever --fail-on says.',
      remediation: 'Fix the syntax at the reported line; the file is checked once it parses.',
      refs: [],
      formats: [f],
      messages: { error: '{message}' },
    }),
  ),
  {
    id: SUPPRESSION_WITHOUT_REASON,
    severity: 'medium',
    title: 'inline suppression without a reason',
    rationale: 'A suppression silences a security finding; without a written reason nobody can later tell whether it still holds. A suppression without a reason is not applied.',
    remediation: 'Write the reason after "--": # agentsec-ignore compose/privileged -- needed for GPU passthrough.',
    refs: [],
    formats: [...FORMATS],
    messages: { missing: 'suppression of {ids} has no reason' },
  },
];
