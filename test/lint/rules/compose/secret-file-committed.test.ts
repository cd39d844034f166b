import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rule } from '../../../../src/lint/rules/compose/secret-file-committed.js';
import { lintMemory } from '../../support.js';

const COMPOSE = 'services:\n  db:\n    image: postgres:17\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./secrets/db_password\n  api_token:\n    environment: API_TOKEN\n';

/** The rule alone, with what git says of each file (`repo` false: outside a work tree). */
function run(ignored: Record<string, { ignored: boolean; repo: boolean }>, files: Record<string, string> = { 'secrets/db_password': 'Zq8-vR2m-Lk5w\n' }): string[] {
  const r = lintMemory({ 'compose.yaml': COMPOSE, ...files }, { rules: [{ rule, severity: rule.meta.severity }], walk: ['compose.yaml'], ignored: (f) => ignored[f] });
  return r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
}

describe(rule.meta.id, () => {
  it('valid: the secret file is git-ignored', () => assert.deepEqual(run({ 'secrets/db_password': { ignored: true, repo: true } }), []));
  it('valid: not in a git work tree (nothing is committed there)', () => assert.deepEqual(run({ 'secrets/db_password': { ignored: false, repo: false } }), []));
  it('valid: git status unknown', () => assert.deepEqual(run({}), []));
  it('valid: the file does not exist yet (a deploy creates it)', () => assert.deepEqual(run({ 'secrets/db_password': { ignored: false, repo: true } }, {}), []));
  it('invalid: in a work tree and not ignored, reported where compose names the file', () => {
    assert.deepEqual(run({ 'secrets/db_password': { ignored: false, repo: true } }), ['compose.yaml:7:11 secret db_password is read from secrets/db_password, which git does not ignore: it is committed with the project']);
  });
});
