import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { Validator } from '@cfworker/json-schema';
import { ENGINE_METAS } from '../../src/lint/builtin.js';
import { activeRules } from '../../src/lint/profiles.js';
import type { LintReport } from '../../src/lint/types.js';
import { renderJunit } from '../../src/output/junit.js';
import { renderJson, renderTable, renderText } from '../../src/output/lint-text.js';
import { makeChalk } from '../../src/output/color.js';
import { renderSarif } from '../../src/output/sarif.js';
import { lintMemory } from '../lint/support.js';

function report(): LintReport {
  const r = lintMemory({
    'deploy/compose.yaml': 'services:\n  letta:\n    image: letta/letta:latest\n    privileged: true\n    ports:\n      - "8283:8283"\n',
    'deploy/.env': 'WEBUI_AUTH=false\nLOG_LEVEL=debug\n',
    'deploy/bad/compose.yaml': 'services: [\n',
    'clean/Dockerfile': 'FROM node:22.11-slim\nUSER node\nHEALTHCHECK CMD true\n',
    'a dir/<odd>&.env': 'DEBUG=true\n',
    'README.md': '# not a config\n',
  }, { explicit: ['README.md'] });
  return {
    tool: { name: 'agentsec', version: '0.1.0' },
    findings: r.findings,
    notes: r.notes,
    files: r.files,
    rules: [...activeRules('default').map((a) => ({ ...a.rule.meta, severity: a.severity })), ...ENGINE_METAS],
    suppressed: r.suppressed,
    parseErrors: r.parseErrors,
    skipped: r.skipped,
    allowSkipped: false,
    profile: 'default',
    failOn: 'high',
  };
}

/** The official SARIF 2.1.0 JSON schema (rtm.5, as shipped by Microsoft's @microsoft/jest-sarif), read in place. */
function sarifSchema(): object {
  const path = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

describe('SARIF output', () => {
  const r = report();
  const log = JSON.parse(renderSarif(r)) as {
    version: string;
    $schema: string;
    runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string; properties: Record<string, unknown>; defaultConfiguration: { level: string } }> } }; results: Array<Record<string, unknown> & { ruleIndex: number; ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>; partialFingerprints: Record<string, string> }> }>;
  };

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const v = new Validator(sarifSchema() as never, '4', false);
    const result = v.validate(log);
    assert.equal(result.valid, true, JSON.stringify(result.errors.slice(0, 5), null, 2));
  });

  it('the schema check is real: a broken log fails it', () => {
    const v = new Validator(sarifSchema() as never, '4', false);
    const broken = JSON.parse(JSON.stringify(log)) as { version: string; runs: Array<{ results: Array<Record<string, unknown>> }> };
    broken.version = '2.0.0';
    assert.equal(v.validate(broken).valid, false);
    const broken2 = JSON.parse(JSON.stringify(log)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    (broken2.runs[0]?.results[0] as Record<string, unknown>)['level'] = 'fatal';
    assert.equal(v.validate(broken2).valid, false);
  });

  it('has what GitHub code scanning needs', () => {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'agentsec');
    assert.equal(run.results.length, r.findings.length);
    for (const res of run.results) {
      const desc: { id: string; properties: Record<string, unknown> } | undefined = run.tool.driver.rules[res.ruleIndex];
      assert.equal(desc?.id, res.ruleId, 'ruleIndex points at the rule');
      assert.ok(typeof desc?.properties['security-severity'] === 'string');
      const loc = res.locations[0]?.physicalLocation;
      assert.ok(loc && loc.region.startLine >= 1 && loc.region.startColumn >= 1);
      assert.ok(!/^(?:\/|[a-z]+:)/i.test(loc.artifactLocation.uri), `relative uri: ${loc.artifactLocation.uri}`);
      assert.match(res.partialFingerprints['agentsecFingerprint/v1'] ?? '', /^[0-9a-f]{32}$/);
    }
  });

  it('percent-encodes odd file names', () => {
    const uris = log.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri) ?? [];
    assert.ok(uris.includes('a%20dir/%3Codd%3E%26.env'), uris.join(' '));
  });

  it('a named file that could not be linted is an error notification and an unsuccessful run, unless allowed', () => {
    const inv = (l: unknown): { executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> } => (l as { runs: Array<{ invocations: never[] }> }).runs[0]?.invocations[0] as never;
    const failing = inv(log);
    assert.equal(failing.executionSuccessful, false);
    assert.deepEqual(failing.toolExecutionNotifications.filter((n) => n.message.text.startsWith('README.md:')).map((n) => n.level), ['error']);
    const allowed = inv(JSON.parse(renderSarif({ ...r, parseErrors: 0, allowSkipped: true })));
    assert.equal(allowed.executionSuccessful, true);
    assert.deepEqual(allowed.toolExecutionNotifications.filter((n) => n.message.text.startsWith('README.md:')).map((n) => n.level), ['note']);
  });

  it('lists every rule that ran, with levels from severities', () => {
    const driverRules = log.runs[0]?.tool.driver.rules ?? [];
    assert.ok(driverRules.some((x) => x.id === 'compose/privileged' && x.defaultConfiguration.level === 'error'));
    assert.ok(driverRules.some((x) => x.id === 'compose/parse-error'));
  });
});

describe('JUnit output', () => {
  const xml = renderJunit(report());
  it('is well-formed enough: one suite per file, failures counted, entities escaped', () => {
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="agentsec lint" tests="\d+" failures="\d+" errors="0" skipped="1">/);
    assert.match(xml, /<testsuite name="clean\/Dockerfile" tests="1" failures="0"/);
    assert.match(xml, /name="a dir\/&lt;odd&gt;&amp;.env"/);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, (xml.match(/<\/testsuite>/g) ?? []).length);
    assert.equal((xml.match(/<failure /g) ?? []).length, report().findings.length);
  });
  it('a named file that could not be linted is a skipped test case', () => {
    assert.match(xml, /<testsuite name="README.md" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="README.md" name="lint">\n      <skipped message="not linted: not a file agentsec lint reads/);
  });
});

describe('text, table and JSON output', () => {
  const r = report();
  it('text: one finding a line, file:line:col severity id message', () => {
    const lines = renderText(r).trimEnd().split('\n');
    assert.equal(lines.length, r.findings.length);
    for (const l of lines) assert.match(l, /^\S.*:\d+:\d+ (critical|high|medium|low|info) [a-z]+\/[a-z0-9-]+ .+$/);
  });
  it('table: grouped by file with a summary line, no color without a TTY', () => {
    const t = renderTable(r, makeChalk(0));
    assert.match(t, /deploy\/compose\.yaml/);
    assert.match(t, /\d+ findings \(.*critical.*\) in \d+ files, 1 skipped \(not linted\)\n$/);
    assert.ok(!t.includes('\u001b['));
  });
  it('table: colored by severity on a TTY', () => assert.ok(renderTable(r, makeChalk(1)).includes('\u001b[')));
  it('json: one document with schemaVersion, summary and findings', () => {
    const doc = JSON.parse(renderJson(r)) as { schemaVersion: number; summary: { findings: number; parseErrors: number }; findings: Array<{ ruleId: string; fingerprint: string }> };
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.summary.findings, r.findings.length);
    assert.equal(doc.summary.parseErrors, 1);
    assert.ok(doc.findings.every((f) => f.ruleId && f.fingerprint));
    const full = doc as unknown as { summary: { skipped: number }; notes: Array<{ file: string; kind: string }> };
    assert.equal(full.summary.skipped, 1);
    assert.deepEqual(full.notes.filter((n) => n.kind === 'skipped').map((n) => n.file), ['README.md']);
  });
});
