import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { lintFiles } from '../../src/lint/engine.js';
import { activeRules, PROFILES } from '../../src/lint/profiles.js';
import { walkPaths } from '../../src/platform/walk.js';
import { ROOT } from '../support/cli.js';
import { corpusDir } from './support.js';

/** The pinned finding ids of every corpus file: `ruleId@line`, sorted. Regenerate with AGENTSEC_UPDATE_PINS=1. */
const PINS = join(ROOT, 'test', 'fixtures', 'lint', 'corpus-findings.json');

function lintCorpus(dir: string): ReturnType<typeof lintFiles> {
  const walked = walkPaths(['.'], dir);
  return lintFiles(
    walked.files.map((abs) => ({ abs })),
    {
      read: (abs) => (existsSync(abs) ? readFileSync(abs) : null),
      display: (abs) => relative(dir, abs).split(sep).join('/'),
    },
    // Every rule on (strict's rule set), default thresholds: the pins cover the off-by-default rule too.
    { rules: activeRules('strict'), profile: PROFILES.default, today: '2026-01-15' },
  );
}

describe('the shared corpus (../shared/corpus)', () => {
  const dir = corpusDir();

  it('lints without a crash', (t) => {
    if (!dir) {
      t.skip(`corpus not found at ${join(ROOT, '..', 'shared', 'corpus')}: skipped`);
      return;
    }
    const r = lintCorpus(dir);
    assert.equal(r.runtimeFailures, 0, JSON.stringify(r.notes));
    assert.deepEqual(r.notes.filter((n) => n.kind === 'internal'), []);
    assert.deepEqual(r.findings.filter((f) => /(?<!\$)\{[a-z]+\}/i.test(f.message)).map((f) => `${f.ruleId}: ${f.message}`), [], 'a message with an unfilled placeholder');
    assert.ok(r.files.length >= 40, `only ${r.files.length} files linted`);
  });

  it('gives each corpus file the pinned finding ids', (t) => {
    if (!dir) {
      t.skip(`corpus not found at ${join(ROOT, '..', 'shared', 'corpus')}: skipped`);
      return;
    }
    const r = lintCorpus(dir);
    const got: Record<string, string[]> = {};
    for (const f of r.files) got[f] = [];
    for (const f of r.findings) (got[f.file] ??= []).push(`${f.ruleId}@${f.line}`);
    for (const k of Object.keys(got)) got[k]?.sort();
    const sorted = Object.fromEntries(Object.keys(got).sort().map((k) => [k, got[k]]));
    if (process.env['AGENTSEC_UPDATE_PINS'] === '1') writeFileSync(PINS, `${JSON.stringify(sorted, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(PINS, 'utf8')) as Record<string, string[]>;
    assert.deepEqual(sorted, pinned, 'corpus findings changed: check the difference, then rerun with AGENTSEC_UPDATE_PINS=1 to pin the new ones');
  });

  it('finds what LINT-RULES.md cites from the corpus', (t) => {
    if (!dir) {
      t.skip('corpus not found: skipped');
      return;
    }
    const r = lintCorpus(dir);
    const has = (file: string, id: string): boolean => r.findings.some((f) => f.file === file && f.ruleId === id);
    assert.ok(has('DreamLab-AI__VisionFlow/multi-agent-docker__.env.example', 'agent/default-secret'));
    assert.ok(has('langfuse__langfuse/docker-compose.yml', 'agent/default-secret'));
    assert.ok(has('lucassantosg__ollama-webui-traefik-docker/docker-compose.yml', 'agent/default-secret'));
    assert.ok(has('lucassantosg__ollama-webui-traefik-docker/docker-compose.yml', 'agent/auth-disabled'));
    // letta's `${LETTA_PG_PASSWORD:-letta}` inside the LETTA_PG_URI default: the URL's password defaults to a known
    // default, reported by agent/default-secret, which supersedes compose/secret-inline-default on the same line.
    assert.ok(r.findings.some((f) => f.file === 'letta-ai__letta/compose.yaml' && f.line === 35 && f.ruleId === 'agent/default-secret' && /password in the URL/.test(f.message)));
    assert.ok(has('Mintplex-Labs__anything-llm/docker__docker-compose.yml', 'compose/dangerous-capabilities'));
    // nginx: dify's agent routes (/api, /v1, /mcp, /socket.io) carry no rate limit; ragflow's TLS server has no HSTS.
    assert.ok(has('langgenius__dify/docker__nginx__conf.d__default.conf.template', 'nginx/no-rate-limit'));
    assert.ok(has('infiniflow__ragflow/docker__nginx__ragflow.https.conf', 'nginx/missing-hsts'));
    // Kubernetes: anything-llm's manifest allows privilege escalation and seeds JWT_SECRET with a template value.
    assert.ok(has('Mintplex-Labs__anything-llm/cloud-deployments__k8__manifest.yaml', 'k8s/privileged'));
    assert.ok(has('Mintplex-Labs__anything-llm/cloud-deployments__k8__manifest.yaml', 'agent/default-secret'));
  });
});
