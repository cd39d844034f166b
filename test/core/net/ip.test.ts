import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { canonicalIp, formatIp, parseIp } from '../../../src/core/net/index.js';
import { HOSTILE_IPS } from '../../support/hostile-ips.js';

test('canonical forms', () => {
  const cases: Array<[string, string]> = [
    ['192.168.0.1', '192.168.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins
    ['fe80::', 'fe80::'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::ffff:10.1.2.3', '10.1.2.3'], // IPv4-mapped folds to IPv4
    ['::FFFF:a01:203', '10.1.2.3'],
    ['0:0:0:0:0:ffff:10.1.2.3', '10.1.2.3'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::1.2.3.4', '::102:304'], // IPv4-compatible (deprecated) is not mapped: stays IPv6
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalIp(input), want, input);
});

test('rejects what is not an address', () => {
  const bad = [
    '', ' 1.2.3.4', '1.2.3.4 ', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-1', '1.2.3.4/32', 'a.b.c.d',
    ':', ':::', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', 'fe80::1%eth0',
    '::ffff:1.2.3', '::1.2.3.4:5', '1.2.3.4::', '1:1.2.3.4::1', '1.2.3.4:1::', ':1::', '1::2:', '1:2:3:4:5:6:7:8:', 'localhost', '[::1', '1.2.3.4]', '0x7f.0.0.1', '１.2.3.4',
  ];
  for (const b of bad) assert.equal(parseIp(b), undefined, JSON.stringify(b));
});

test('agrees with node:net isIP on a sample of valid addresses', () => {
  const valid = ['1.1.1.1', '10.0.0.255', '::', '::1', 'a:b:c:d:e:f:0:1', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1'];
  for (const v of valid) {
    assert.notEqual(isIP(v), 0, v);
    assert.ok(parseIp(v), v);
  }
});

test('round trip: canonical text parses to the same bytes and formats to itself', () => {
  for (const t of ['10.0.0.1', '2001:db8::1', '::', '1::', '::2', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']) {
    const ip = parseIp(t);
    assert.ok(ip);
    const again = parseIp(formatIp(ip));
    assert.deepEqual(again, ip);
    assert.equal(formatIp(again), formatIp(ip));
  }
});

test('versions and byte lengths', () => {
  assert.deepEqual(parseIp('1.2.3.4'), { version: 4, bytes: new Uint8Array([1, 2, 3, 4]) });
  assert.equal(parseIp('::ffff:1.2.3.4')?.version, 4);
  assert.equal(parseIp('::ffff:1.2.3.4')?.bytes.length, 4);
  assert.equal(parseIp('::1')?.bytes.length, 16);
});

test('differential: validity agrees with node:net isIP, IPv6 text with the WHATWG URL serialiser', () => {
  // Deterministic pseudo-random addresses (zero runs, ::, IPv4 tails, mapped, one-character mutations).
  let seed = 0x2f6b1d;
  const r = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const grp = () => (r(3) === 0 ? '0' : r(2) ? r(65536).toString(16) : (['0', '00', '000', '0000', 'ffff', 'FFFF', '1'][r(7)] as string));
  let valid = 0;
  for (let n = 0; n < 20_000; n++) {
    const g = Array.from({ length: 8 }, grp);
    if (r(3) === 0) g.splice(0, 6, '0', '0', '0', '0', '0', 'ffff');
    let s: string;
    if (r(4) === 0) {
      const a = r(8);
      const b = a + r(8 - a + 1);
      s = `${g.slice(0, a).join(':')}::${g.slice(b).join(':')}`;
    } else s = g.join(':');
    if (r(5) === 0) s = s.replace(/:[^:]*:[^:]*$/, `:${r(256)}.${r(256)}.${r(256)}.${r(256)}`);
    if (r(6) === 0) {
      const i = r(s.length);
      s = s.slice(0, i) + ([':', '.', 'g', '', '0'][r(5)] as string) + s.slice(i + 1);
    }
    const ip = parseIp(s);
    assert.equal(ip !== undefined, isIP(s) !== 0, s);
    if (!ip) continue;
    valid++;
    const whatwg = new URL(`http://[${s}]`).hostname.slice(1, -1);
    if (ip.version === 6) assert.equal(formatIp(ip), whatwg, s);
    else assert.equal(canonicalIp(whatwg), formatIp(ip), s); // mapped: same IPv4 either way
  }
  assert.ok(valid > 10_000, 'most generated cases are valid addresses');
});

test('hostile inputs are refused by the one strict parser, each with its reason', async () => {
  const { checkIp, badIpMessage } = await import('../../../src/core/net/index.js');
  for (const [input, reason] of HOSTILE_IPS) {
    const r = checkIp(input);
    assert.equal(r.ok, false, JSON.stringify(input));
    assert.equal(parseIp(input), undefined, JSON.stringify(input));
    assert.match(badIpMessage(input), reason, JSON.stringify(input));
    assert.doesNotMatch(badIpMessage(input), /[\n\r\u0000]/, 'the message stays on one line');
  }
  // Brackets stay allowed around IPv6 (the URI form), and a mapped address in brackets still folds to IPv4.
  assert.equal(canonicalIp('[2001:db8::1]'), '2001:db8::1');
  assert.equal(canonicalIp('[::ffff:1.2.3.4]'), '1.2.3.4');
});
