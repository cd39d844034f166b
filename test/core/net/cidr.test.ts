import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, formatCidr, parseCidr, parseIp, anyCidrContains, type Cidr } from '../../../src/core/net/index.js';

function cidr(text: string): Cidr {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(`${text}: ${p.message}`);
  return p.cidr;
}

test('parses and canonicalises', () => {
  const cases: Array<[string, string]> = [
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3', '10.1.2.3/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::1', '::1/128'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:10.1.2.3', '10.1.2.3/32'],
    ['::ffff:0.0.0.0/96', '0.0.0.0/0'],
    ['192.168.1.128/25', '192.168.1.128/25'],
  ];
  for (const [input, want] of cases) assert.equal(formatCidr(cidr(input)), want, input);
});

test('refuses host bits, bad prefixes and non-addresses, with a reason', () => {
  const cases: Array<[string, string]> = [
    ['10.0.0.1/8', 'host-bits-set'],
    ['192.168.1.1/24', 'host-bits-set'],
    ['2001:db8::1/32', 'host-bits-set'],
    ['::ffff:10.0.0.1/104', 'host-bits-set'],
    ['10.0.0.0/33', 'bad-prefix'],
    ['10.0.0.0/', 'bad-prefix'],
    ['10.0.0.0/08', 'bad-prefix'],
    ['10.0.0.0/-1', 'bad-prefix'],
    ['10.0.0.0/8/8', 'bad-prefix'],
    ['::/129', 'bad-prefix'],
    ['::ffff:0.0.0.0/95', 'bad-prefix'],
    ['not-an-ip/8', 'not-an-ip'],
    ['', 'not-an-ip'],
    ['300.0.0.0/8', 'not-an-ip'],
  ];
  for (const [input, reason] of cases) {
    const p = parseCidr(input);
    assert.equal(p.ok, false, input);
    if (!p.ok) {
      assert.equal(p.reason, reason, input);
      assert.ok(p.message.length > 0);
    }
  }
  const hb = parseCidr('10.0.0.1/8');
  assert.ok(!hb.ok && hb.message.includes('10.0.0.0/8'), 'suggests the network');
});

test('contains', () => {
  const ip = (t: string) => {
    const x = parseIp(t);
    assert.ok(x, t);
    return x;
  };
  const cases: Array<[string, string, boolean]> = [
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '::ffff:10.9.9.9', true], // mapped client address matches an IPv4 list
    ['::ffff:10.0.0.0/104', '10.9.9.9', true],
    ['192.168.1.128/25', '192.168.1.127', false],
    ['192.168.1.128/25', '192.168.1.200', true],
    ['192.168.1.0/31', '192.168.1.1', true],
    ['192.168.1.0/31', '192.168.1.2', false],
    ['1.2.3.4', '1.2.3.4', true],
    ['1.2.3.4', '1.2.3.5', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '2001:db8::1', false], // versions never mix
    ['::/0', '1.2.3.4', false],
    ['::/0', '2001:db8::1', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/33', '2001:db8:7fff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['::1', '::1', true],
  ];
  for (const [c, a, want] of cases) assert.equal(cidrContains(cidr(c), ip(a)), want, `${c} ∋ ${a}`);
  assert.equal(anyCidrContains([cidr('10.0.0.0/8'), cidr('2001:db8::/32')], ip('2001:db8::5')), true);
  assert.equal(anyCidrContains([], ip('1.1.1.1')), false);
});
