import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEntry, ZERO_HASH, type AuditEvent } from '../../../src/core/audit/entry.js';
import { entryLine, topLevelMismatch } from '../../../src/commands/audit/export-format.js';

// Data that mimics the canonical tail and the record's own members, so a reader that matched by text would be fooled.
const tricky = { s: ',"epoch":9,"prev":"x","seq":1,"ts":2,"type":"a.b","v":1}', n: -7, nested: { z: [1, 'two', null, true], a: {} }, u: 'ünï\u2028' };

function record(data: NonNullable<AuditEvent['data']>): Record<string, unknown> {
  const s = buildEntry({ type: 'test.event', actor: { user: 'tester', uid: 1000 }, data }, { seq: 41, ts: Date.UTC(2026, 11, 2, 1, 2, 3, 456), epoch: 3, prev: ZERO_HASH });
  return JSON.parse(entryLine(41, s.hash, s.canon)) as Record<string, unknown>;
}

test('top-level copies: the records export writes agree, re-ordered ones too, and every changed field is named', () => {
  for (const data of [{}, { i: 1, ip: '203.0.113.7' }, tricky]) {
    const rec = record(data);
    const canon = rec['canon'] as string;
    assert.equal(topLevelMismatch(rec, canon), undefined, 'as written');
    const reordered = { ...rec, data: Object.fromEntries(Object.entries(rec['data'] as object).reverse()), actor: { uid: 1000, user: 'tester' } };
    assert.equal(topLevelMismatch(reordered, canon), undefined, 'keys in another order (a SIEM re-serialised it)');
    const { time: _t, ...noTime } = rec;
    assert.equal(topLevelMismatch(noTime, canon), undefined, 'a copy left out is not a lie');
    const changes: Record<string, unknown> = { time: '2026-12-02T01:02:03.457Z', epoch: 4, type: 'test.other', actor: { user: 'mallory', uid: 1000 }, data: { ...(rec['data'] as object), extra: 1 } };
    for (const [field, value] of Object.entries(changes)) {
      assert.equal(topLevelMismatch({ ...rec, [field]: value }, canon), `top-level ${field} differs from the signed canonical text`, field);
    }
    assert.equal(topLevelMismatch({ ...rec, epoch: '3' }, canon), 'top-level epoch differs from the signed canonical text', 'a number copied as a string');
  }
});
