import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GcraLimiter, parseRate } from '../../../src/core/serve/rate-limit.js';

test('rate limit: a burst passes at once, then one request per interval (GCRA)', () => {
  const spec = parseRate('5/m');
  assert.deepEqual(spec, { count: 5, periodMs: 60_000, burst: 5 });
  const l = new GcraLimiter(spec!);
  const t0 = 1_000_000;
  for (let i = 0; i < 5; i++) assert.equal(l.take('ip:a', t0).ok, true, `burst ${i}`);
  const sixth = l.take('ip:a', t0);
  assert.equal(sixth.ok, false);
  assert.equal(sixth.ok ? 0 : sixth.retryAfterMs, 12_000, 'one request every 12 s');
  assert.equal(l.take('ip:b', t0).ok, true, 'buckets are per key');
  assert.equal(l.take('ip:a', t0 + 11_999).ok, false);
  assert.equal(l.take('ip:a', t0 + 12_000).ok, true);
  assert.equal(l.take('ip:a', t0 + 12_000).ok, false);
  // A long quiet spell refills the whole burst, never more.
  let passed = 0;
  for (let i = 0; i < 10; i++) if (l.take('ip:a', t0 + 3_600_000).ok) passed++;
  assert.equal(passed, 5);
});

test('rate limit: a burst smaller than the count smooths the traffic', () => {
  const l = new GcraLimiter(parseRate('10/s', 2)!);
  assert.equal(l.take('k', 0).ok, true);
  assert.equal(l.take('k', 0).ok, true);
  assert.equal(l.take('k', 0).ok, false);
  assert.equal(l.take('k', 100).ok, true);
});

test('rate limit: memory is bounded, the least recently used bucket goes first', () => {
  const l = new GcraLimiter(parseRate('1/h')!, 100);
  for (let i = 0; i < 1000; i++) l.take(`ip:${i}`, 0);
  assert.ok(l.size <= 100, `size ${l.size}`);
  // The newest bucket is still held: its second request in the hour is refused.
  assert.equal(l.take('ip:999', 1).ok, false);
});

test('rate limit: bad specs are refused', () => {
  for (const bad of ['5', '5/x', '0/m', '/m', '-1/s', '5/min']) assert.equal(parseRate(bad), undefined, bad);
  assert.equal(parseRate('5/m', 0), undefined);
});
