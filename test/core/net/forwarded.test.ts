import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientAddress, forwardedHops, LOOPBACK_CIDRS, parseCidr, type Cidr } from '../../../src/core/net/index.js';

function nets(...texts: string[]): Cidr[] {
  return texts.map((t) => {
    const p = parseCidr(t);
    if (!p.ok) throw new Error(t);
    return p.cidr;
  });
}

function ip(peer: string, xff: string | string[] | undefined, trusted: Cidr[]): string {
  const r = clientAddress(peer, xff, trusted);
  if (!r.ok) return `error:${r.reason}`;
  return r.ip;
}

test('an untrusted peer is the client, whatever X-Forwarded-For says', () => {
  assert.equal(ip('203.0.113.9', '1.2.3.4', nets('10.0.0.0/8')), '203.0.113.9');
  assert.equal(ip('203.0.113.9', '1.2.3.4', []), '203.0.113.9');
  assert.equal(ip('203.0.113.9', 'garbage', nets('10.0.0.0/8')), '203.0.113.9');
});

test('the right-most untrusted hop is the client (real_ip_recursive)', () => {
  const trusted = nets('10.0.0.0/8');
  // The client forged "6.6.6.6" on the left; the balancer appended the address it saw.
  assert.equal(ip('10.0.0.2', '6.6.6.6, 198.51.100.7', trusted), '198.51.100.7');
  assert.equal(ip('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.1.1.1', trusted), '198.51.100.7');
  assert.equal(ip('10.0.0.2', ['6.6.6.6', '198.51.100.7, 10.1.1.1'], trusted), '198.51.100.7');
  const r = clientAddress('10.0.0.2', '198.51.100.7, 10.1.1.1', trusted);
  assert.ok(r.ok && r.source === 'forwarded' && r.hops === 2);
});

test('a chain of trusted hops only ends at its left-most entry; no header means the peer', () => {
  assert.equal(ip('10.0.0.2', '10.9.9.9, 10.1.1.1', nets('10.0.0.0/8')), '10.9.9.9');
  assert.equal(ip('127.0.0.1', undefined, [...LOOPBACK_CIDRS]), '127.0.0.1');
  assert.equal(ip('127.0.0.1', '  ,  ', [...LOOPBACK_CIDRS]), '127.0.0.1');
});

test('ports, brackets, IPv6 and mapped addresses are read; the result is canonical', () => {
  const lo = [...LOOPBACK_CIDRS];
  assert.equal(ip('::ffff:127.0.0.1', '203.0.113.7:51234', lo), '203.0.113.7');
  assert.equal(ip('::1', '[2001:DB8::1]:8080', lo), '2001:db8::1');
  assert.equal(ip('::1', '2001:0db8:0:0::1', lo), '2001:db8::1');
  assert.equal(ip('127.0.0.1', '::ffff:198.51.100.1', lo), '198.51.100.1');
});

test('garbage reached during the walk fails closed instead of guessing', () => {
  const lo = [...LOOPBACK_CIDRS];
  assert.equal(ip('127.0.0.1', 'evil.example.com', lo), 'error:bad-forwarded');
  assert.equal(ip('127.0.0.1', '1.2.3.4, unknown', lo), 'error:bad-forwarded');
  assert.equal(ip('127.0.0.1', '010.0.0.1', lo), 'error:bad-forwarded');
  // Garbage to the left of the first untrusted hop is never read.
  assert.equal(ip('127.0.0.1', 'junk, 198.51.100.4', lo), '198.51.100.4');
  assert.equal(ip('127.0.0.1', Array(40).fill('127.0.0.1').join(','), lo), 'error:bad-forwarded');
  assert.equal(ip('not-an-ip', undefined, lo), 'error:bad-peer');
});

test('forwardedHops splits lists and header lines in order', () => {
  assert.deepEqual(forwardedHops('a, b'), ['a', 'b']);
  assert.deepEqual(forwardedHops(['a', 'b,c']), ['a', 'b', 'c']);
  assert.equal(forwardedHops(undefined), undefined);
  assert.equal(forwardedHops(''), undefined);
});
