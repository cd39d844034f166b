import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { Validator } from '@cfworker/json-schema';
import { runCli, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-formats-');
after(() => tmp.cleanup());

function sarifSchema(): object {
  const path = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }>;
  suppressions?: Array<{ kind: string; status: string; justification: string }>;
}

describe('SARIF for code scanning', () => {
  // A repository whose deploy/ directory is linted from inside it, plus a file outside the repository.
  const repo = join(tmp.dir, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'deploy'), { recursive: true });
  writeFileSync(join(repo, 'deploy', 'compose.yaml'), 'services:\n  api:\n    image: node:22.11-slim\n    privileged: true  # agentsec-ignore compose/privileged -- needed for GPU passthrough\n    ports:\n      - "8080:8080"\n');
  mkdirSync(join(tmp.dir, 'outside'), { recursive: true });
  writeFileSync(join(tmp.dir, 'outside', '.env'), 'WEBUI_AUTH=false\n');
  const r = runCli(['lint', '.', '../../outside/.env', '--format', 'sarif'], { cwd: join(repo, 'deploy') });
  const log = JSON.parse(r.stdout) as { runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[] }> };
  const run = log.runs[0] as { originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[] };

  test('URIs are relative to the project root (the git work tree), not the directory lint ran in: no ../', () => {
    assert.equal(run.originalUriBaseIds['%SRCROOT%']?.uri, `${pathToFileURL(repo).href}/`);
    const inRepo = run.results.filter((x) => x.locations[0]?.physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%');
    assert.ok(inRepo.length > 0);
    for (const x of inRepo) assert.equal(x.locations[0]?.physicalLocation.artifactLocation.uri, 'deploy/compose.yaml');
    for (const x of run.results) assert.doesNotMatch(x.locations[0]?.physicalLocation.artifactLocation.uri ?? '', /(^|\/)\.\.\//);
  });

  test('a file outside the project gets an absolute file: URI, not a path that climbs out', () => {
    const outside = run.results.find((x) => x.ruleId === 'agent/auth-disabled');
    assert.deepEqual(outside?.locations[0]?.physicalLocation.artifactLocation, { uri: pathToFileURL(join(tmp.dir, 'outside', '.env')).href });
  });

  test('a suppressed finding is a result with suppressions and its reason, and the log is valid SARIF 2.1.0', () => {
    const suppressed = run.results.filter((x) => x.suppressions);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0]?.ruleId, 'compose/privileged');
    assert.deepEqual(suppressed[0]?.suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'needed for GPU passthrough' }]);
    const v = new Validator(sarifSchema() as never, '4', false);
    const res = v.validate(log);
    assert.equal(res.valid, true, JSON.stringify(res.errors.slice(0, 5), null, 2));
  });

  test('a suppression from .agentsec.yaml is an external one', () => {
    const dir = join(tmp.dir, 'cfg');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.agentsec.yaml'), 'suppressions:\n  - rule: agent/auth-disabled\n    reason: internal demo box, never exposed\n');
    writeFileSync(join(dir, '.env'), 'WEBUI_AUTH=false\n');
    const out = JSON.parse(runCli(['lint', '--format', 'sarif'], { cwd: dir }).stdout) as { runs: Array<{ results: SarifResult[] }> };
    const s = out.runs[0]?.results.find((x) => x.ruleId === 'agent/auth-disabled');
    assert.deepEqual(s?.suppressions, [{ kind: 'external', status: 'accepted', justification: 'internal demo box, never exposed' }]);
  });
});

describe('JUnit for CI dashboards', () => {
  const dir = join(tmp.dir, 'junit');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.env'), 'WEBUI_AUTH=false\nLOG_LEVEL=debug\n');

  test('failures are the findings at or above --fail-on; the rest pass with their text in system-out', () => {
    const high = runCli(['lint', '--format', 'junit'], { cwd: dir });
    assert.match(high.stdout, /<testsuites name="agentsec lint" tests="2" failures="1" errors="0" skipped="0" time="\d+\.\d{3}">/);
    assert.match(high.stdout, /<system-out>\.env:2:11 medium agent\/debug-mode\n[^<]*\(below --fail-on high: not a failure\)<\/system-out>/);
    assert.equal(high.code, 1);
    const low = runCli(['lint', '--format', 'junit', '--fail-on', 'low'], { cwd: dir });
    assert.match(low.stdout, /tests="2" failures="2"/);
    const critical = runCli(['lint', '--format', 'junit', '--fail-on', 'critical'], { cwd: dir });
    assert.match(critical.stdout, /<testsuites[^>]* failures="1"/, 'auth disabled is critical');
  });

  test('suites and the run carry time attributes (and a timestamp)', () => {
    const x = runCli(['lint', '--format', 'junit'], { cwd: dir }).stdout;
    assert.match(x, /<testsuite name="\.env" tests="2" failures="1" errors="0" skipped="0" time="\d+\.\d{3}" timestamp="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}">/);
    assert.match(x, /<testcase [^>]*time="\d+\.\d{3}"/);
  });
});

describe('audit export and audit log --json for a SIEM', () => {
  const home = join(tmp.dir, 'audit-home');
  const pubkey = runCli(['--home', home, 'init', '--quiet']).stdout.trim();
  runCli(['--home', home, 'audit', 'append', '--type', 'app.login', '--actor', '{"user":"ana"}', '--data', '{"ip":"203.0.113.7","attempt":2}']);
  const file = join(tmp.dir, 'audit.jsonl');
  runCli(['--home', home, 'audit', 'export', '--output', file]);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  test('entries carry time (RFC 3339), epoch, type, actor and data at the top level, the same as canon says', () => {
    const entry = lines.find((l) => l['kind'] === 'entry' && l['type'] === 'app.login') as Record<string, unknown>;
    assert.match(entry['time'] as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const canon = JSON.parse(entry['canon'] as string) as { ts: number; epoch: number; type: string; actor: unknown; data: unknown };
    assert.equal(entry['time'], new Date(canon.ts).toISOString());
    assert.deepEqual([entry['epoch'], entry['type'], entry['actor'], entry['data']], [canon.epoch, canon.type, canon.actor, canon.data]);
    assert.deepEqual(entry['data'], { attempt: 2, ip: '203.0.113.7' });
    const logged = JSON.parse(runCli(['--home', home, 'audit', 'log', '--json', '--type', 'app.login']).stdout) as Record<string, unknown>;
    assert.equal(logged['canon'], entry['canon']);
    assert.equal(logged['time'], entry['time']);
  });

  test('verify --jsonl reports a top-level copy that lies, and accepts one re-serialised with other key order', () => {
    assert.equal(runCli(['--home', home, 'audit', 'verify', '--jsonl', file, '--pubkey', pubkey]).code, 0);
    const lied = readFileSync(file, 'utf8').replace('"data":{"attempt":2,"ip":"203.0.113.7"}', '"data":{"attempt":2,"ip":"198.51.100.1"}');
    writeFileSync(join(tmp.dir, 'lied.jsonl'), lied);
    const bad = runCli(['--home', home, '--json', 'audit', 'verify', '--jsonl', join(tmp.dir, 'lied.jsonl'), '--pubkey', pubkey]);
    assert.equal(bad.code, 1);
    const doc = JSON.parse(bad.stdout) as { verdict: string; problems: Array<{ kind: string; detail: string }> };
    assert.equal(doc.verdict, 'tampered');
    assert.match(doc.problems[0]?.detail ?? '', /export line \d+: top-level data differs from the signed canonical text/);
    const reordered = readFileSync(file, 'utf8').replace('"data":{"attempt":2,"ip":"203.0.113.7"}', '"data":{"ip":"203.0.113.7","attempt":2}');
    writeFileSync(join(tmp.dir, 'reordered.jsonl'), reordered);
    assert.equal(runCli(['--home', home, 'audit', 'verify', '--jsonl', join(tmp.dir, 'reordered.jsonl'), '--pubkey', pubkey]).code, 0);
  });
});
