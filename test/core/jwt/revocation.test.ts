import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUBJECT_MARK_CLAIM, subjectRevocationThreshold } from '../../../src/core/jwt/revocation.js';

test('subject revocation threshold: the token mark + 1, else its iat second, else every revocation', () => {
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ [SUBJECT_MARK_CLAIM]: 0, iat: 1_800_000_000 }, 1, 'never revoked when issued: the first revocation kills it'],
    [{ [SUBJECT_MARK_CLAIM]: 1_800_000_000_123, iat: 1_800_000_000 }, 1_800_000_000_124, 'the mark decides, not iat'],
    [{ iat: 1_800_000_000 }, 1_800_000_000_000, 'no mark: a revocation anywhere in the iat second kills it'],
    [{ iat: 1_800_000_000.9 }, 1_800_000_000_000, 'a fractional iat rounds down (safer)'],
    [{}, 0, 'neither: every revocation of the subject kills it'],
    [{ [SUBJECT_MARK_CLAIM]: '5', iat: 10 }, 10_000, 'a string mark is no mark'],
    [{ [SUBJECT_MARK_CLAIM]: -1, iat: 10 }, 10_000, 'a negative mark is no mark'],
    [{ [SUBJECT_MARK_CLAIM]: 1.5, iat: 10 }, 10_000, 'a fractional mark is no mark'],
    [{ [SUBJECT_MARK_CLAIM]: Number.MAX_SAFE_INTEGER + 2, iat: 10 }, 10_000, 'an unsafe integer is no mark'],
    [{ iat: '10' }, 0, 'a string iat is no iat'],
  ];
  for (const [claims, want, why] of cases) assert.equal(subjectRevocationThreshold(claims), want, why);
});
