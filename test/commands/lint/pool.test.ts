import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkFiles, finishLint, type FileRef, type LintOptions } from '../../../src/lint/engine.js';
import { activeRules, PROFILES } from '../../../src/lint/profiles.js';
import { walkPaths } from '../../../src/platform/walk.js';
import { diskHost } from '../../../src/commands/lint/host.js';
import { checkInWorkers, POOL_MIN_FILES, poolSize } from '../../../src/commands/lint/pool.js';
import { corpusDir } from '../../lint/support.js';
import { runCli, tempDir } from '../../support/cli.js';

const tmp = tempDir('agentsec-lint-pool-');
after(() => tmp.cleanup());

const opts: LintOptions = { rules: activeRules('strict'), profile: PROFILES.strict, today: '2026-01-15' };

function refs(dir: string): FileRef[] {
  return walkPaths(['.'], dir, () => false, { keepIgnored: () => true }).files.map((abs) => ({ abs }));
}

function inThread(dir: string, files: readonly FileRef[]) {
  return finishLint([checkFiles(files, diskHost(dir), opts)], opts);
}

/**
 * A tree whose findings cross files, laid out so that chunk boundaries fall between the files that refer to each
 * other: compose files with the .env they interpolate and the env_file they load, nginx sites whose limit_req zone
 * is defined in another file, Traefik labels naming a middleware of a dynamic file elsewhere in the run, and
 * inline suppressions (with and without a reason) in files whose findings come from a neighbour.
 */
function crossFileTree(dir: string, groups: number): void {
  for (let g = 0; g < groups; g++) {
    const d = join(dir, `g${String(g).padStart(3, '0')}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, '.env'), `OPENAI_API_KEY=sk-proj-${'a1B2c3D4'.repeat(6)}${g}\nDEBUG=true\n# agentsec-ignore env/debug-enabled\n`);
    writeFileSync(join(d, 'app.env'), `ADMIN_PASSWORD=changeme\nHOST=0.0.0.0\n`);
    writeFileSync(
      join(d, 'compose.yaml'),
      `services:\n  api:\n    image: ghcr.io/example/agent:latest\n    env_file: app.env\n    environment:\n      OPENAI_API_KEY: \${OPENAI_API_KEY}\n      API_TOKEN: "hunter2hunter2"\n    ports:\n      - "8080:8080"\n    privileged: true\n    labels:\n      - traefik.http.routers.api${g}.middlewares=auth${g}@file\n`,
    );
    writeFileSync(join(d, 'site.conf'), `server {\n  listen 80;\n  location / {\n    limit_req zone=z${g};\n    proxy_pass http://api:8080;\n  }\n}\n`);
    writeFileSync(join(dir, `zones-${g}.conf`), `limit_req_zone $binary_remote_addr zone=z${g}:10m rate=10r/s;\n`);
    writeFileSync(join(dir, `dynamic-${g}.yaml`), `http:\n  middlewares:\n    auth${g}:\n      basicAuth:\n        users:\n          - "admin:$apr1$x$y"\n`);
  }
}

test('the pool starts only past a few dozen files, and never on one core', () => {
  assert.equal(poolSize(POOL_MIN_FILES - 1, 2), 0);
  assert.equal(poolSize(10_000, 1), 0);
  assert.equal(poolSize(10_000, 2), 2);
  assert.equal(poolSize(POOL_MIN_FILES, 4), 1);
});

test('a run checked in worker threads gives exactly what one thread gives, across chunk boundaries', async () => {
  const dir = join(tmp.dir, 'cross');
  crossFileTree(dir, 40);
  const files = refs(dir);
  assert.ok(files.length > POOL_MIN_FILES * 4, `${files.length} files`);
  const one = inThread(dir, files);
  assert.ok(one.findings.length > 100, `${one.findings.length} findings`);
  for (const workers of [2, 3]) {
    const pooled = await checkInWorkers({ cwd: dir, files, profile: 'strict', ruleOverrides: {} }, workers, () => {});
    assert.deepEqual(finishLint(pooled.parts, opts), one, `${workers} workers`);
    // Every linted file has its time, for the JUnit report.
    for (const f of one.files) assert.ok(pooled.fileMs.has(f), `no time for ${f}`);
  }
});

test('the shared corpus checked in worker threads gives exactly what one thread gives', async (t) => {
  const dir = corpusDir();
  if (!dir) return t.skip('corpus not found: skipped');
  const files = refs(dir);
  const pooled = await checkInWorkers({ cwd: dir, files, profile: 'strict', ruleOverrides: {} }, 2, () => {});
  assert.deepEqual(finishLint(pooled.parts, opts), inThread(dir, files));
});

test('agentsec lint on a tree past the threshold reports what the engine reports in one thread', () => {
  const dir = join(tmp.dir, 'e2e');
  crossFileTree(dir, 20);
  const r = runCli(['lint', '.', '--profile', 'strict', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { findings: unknown[]; files: string[] };
  const one = inThread(dir, refs(dir));
  assert.deepEqual(doc.files, one.files);
  assert.deepEqual(doc.findings, JSON.parse(JSON.stringify(one.findings)));
});
