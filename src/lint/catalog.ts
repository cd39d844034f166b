import { ENGINE_METAS } from './builtin.js';
import { RULES } from './registry.js';
import type { RuleMeta } from './types.js';

/** The catalog's sections, in the order `lint rules` lists them: an id's prefix names its section. */
const SECTIONS: ReadonlyArray<{ readonly prefix: string; readonly title: string; readonly intro: string }> = [
  { prefix: 'agent', title: 'Agent-server rules', intro: 'On `.env` files, compose `environment:` and command lines, Kubernetes `env`/`args` and ConfigMaps, and agent-server settings files (flat or nested keys).' },
  { prefix: 'dockerfile', title: 'Dockerfile', intro: 'The final stage is what runs; stages, `ARG` defaults and `${VAR:-x}` forms are resolved as BuildKit does.' },
  { prefix: 'compose', title: 'docker-compose', intro: 'Read as Compose resolves it: the sibling `.env` interpolated, overlay files merged with their base.' },
  { prefix: 'env', title: '.env', intro: 'Read as dotenv reads it; a git-ignored `.env` is the deployed file.' },
  { prefix: 'nginx', title: 'nginx', intro: '`include`s and globs followed, inheritance applied per block.' },
  { prefix: 'caddy', title: 'Caddy', intro: 'Caddyfiles: site blocks, global options, snippets and `import`.' },
  { prefix: 'k8s', title: 'Kubernetes', intro: 'Every object of a multi-document manifest.' },
  { prefix: 'traefik', title: 'Traefik', intro: 'Static and dynamic files, and the labels and command flags of compose files.' },
  { prefix: 'lint', title: 'The engine', intro: 'Findings of the linter itself, and `<format>/parse-error` for each format.' },
];

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function section(meta: RuleMeta): string {
  return meta.id.endsWith('/parse-error') ? 'lint' : (meta.id.split('/')[0] as string);
}

/**
 * The rule catalog as Markdown (`docs/lint-rules.md`, written by `npm run docs`): a table per format, then each
 * rule's rationale, fix and references, from the rules' own metadata, so it cannot drift from what `lint rules`
 * and `lint explain` say.
 */
export function renderCatalog(): string {
  const metas = [...RULES.map((r) => r.meta), ...ENGINE_METAS];
  const out: string[] = [
    '# agentsec lint — the rule catalog',
    '',
    'Generated from the rules by `npm run docs`; `agentsec lint rules` lists the same rules and `agentsec lint explain ID` prints one. Ids are `<format>/<kebab-name>` and never change once released. Severities: critical, high, medium, low, info. Anchors name comparable checks of established tools (H hadolint, T Trivy, C Checkov, K KICS, G gixy, KL kube-linter, CIS benchmarks).',
    '',
  ];
  for (const s of SECTIONS) {
    const list = metas.filter((m) => section(m) === s.prefix);
    if (list.length === 0) continue;
    out.push(`## ${s.title}`, '', s.intro, '', '| id | detects | sev | default | anchors |', '|---|---|---|---|---|');
    for (const m of list) out.push(`| ${m.id} | ${cell(m.title)} | ${m.severity} | ${m.defaultOff ? 'off' : 'on'} | ${cell(m.anchors ?? '—')} |`);
    out.push('');
    for (const m of list) {
      out.push(`### ${m.id}`, '', `${m.title}. Severity ${m.severity}; formats: ${m.formats.join(', ')}.`, '', cell(m.rationale), '', `Fix: ${cell(m.remediation)}`, '');
      if (m.refs.length > 0) out.push(...m.refs.map((r) => `- <${r}>`), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
