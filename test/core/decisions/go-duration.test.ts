import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration } from '../../../src/core/decisions/go-duration.js';
import { parseScopes, toDecision, PERMANENT_DURATION_MS } from '../../../src/core/decisions/decision.js';

test('Go duration strings as time.Duration.String() writes them, to the millisecond', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [0.4, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1050, '1.05s'],
    [1001, '1.001s'],
    [60_000, '1m0s'],
    [61_500, '1m1.5s'],
    [3_600_000, '1h0m0s'],
    [(3 * 3600 + 59 * 60 + 31) * 1000 + 800, '3h59m31.8s'],
    [-2500, '-2.5s'],
    [-(3 * 3600 + 59 * 60 + 31) * 1000 - 800, '-3h59m31.8s'],
    [-500, '-500ms'],
    [100 * 3_600_000, '100h0m0s'],
  ];
  for (const [ms, want] of cases) assert.equal(formatGoDuration(ms), want, String(ms));
});

test('a block as a CrowdSec decision: every field, Ip/Range scopes, ban, a permanent block as a long one, a lifted one negative', () => {
  const now = 1_000_000;
  assert.deepEqual(toDecision({ value: '203.0.113.7', scope: 'ip', reason: 'e2e', source: 'manual', expiresAt: now + 90_000 }, 7, now), {
    duration: '1m30s', id: 7, origin: 'agentsec', scenario: 'e2e', scope: 'Ip', type: 'ban', value: '203.0.113.7',
  });
  const permanent = toDecision({ value: '198.51.100.0/24', scope: 'range', reason: null, source: 'policy', expiresAt: null }, 8, now);
  assert.equal(permanent.scope, 'Range');
  assert.equal(permanent.scenario, 'agentsec/policy');
  assert.equal(permanent.duration, formatGoDuration(PERMANENT_DURATION_MS));
  assert.equal(toDecision({ value: '203.0.113.7', scope: 'ip', reason: null, source: 'manual', expiresAt: null }, 9, now, now - 4000).duration, '-4s');
  assert.deepEqual([...parseScopes(null)], ['ip', 'range']);
  assert.deepEqual([...parseScopes('Ip')], ['ip']);
  assert.deepEqual([...parseScopes('country,as')], []);
});
