import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOCK_SKEW_MS, failureTime } from '../../../src/core/blocks/failure-time.js';

test('a log line counts at its own time inside find-time, at now when ahead of the clock, and not when too old', () => {
  const now = Date.UTC(2026, 10, 22, 3);
  const find = 600_000;
  const cases: Array<[number | undefined, ReturnType<typeof failureTime>]> = [
    [undefined, { kind: 'counted', at: now, futureDated: false }],
    [now, { kind: 'counted', at: now, futureDated: false }],
    [now - 1000, { kind: 'counted', at: now - 1000, futureDated: false }],
    [now - find + 1, { kind: 'counted', at: now - find + 1, futureDated: false }],
    [now - find, { kind: 'too-old' }],
    [1000, { kind: 'too-old' }],
    [now + CLOCK_SKEW_MS, { kind: 'counted', at: now, futureDated: false }],
    [now + CLOCK_SKEW_MS + 1, { kind: 'counted', at: now, futureDated: true }],
    [Date.UTC(2099, 0, 1), { kind: 'counted', at: now, futureDated: true }],
  ];
  for (const [lineAt, expected] of cases) assert.deepEqual(failureTime(lineAt, now, find), expected, String(lineAt));
});
