import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockIndex } from '../../../src/core/blocks/block-index.js';
import type { BlockRecord } from '../../../src/core/blocks/block.js';
import { IPSET_MAXELEM, renderExport } from '../../../src/core/blocks/export.js';
import { DEFAULT_POLICY, allowlistCidrs, allowlistConflict, decideFailure, escalatedDurationMs, failureSubject, policyFromConfig } from '../../../src/core/blocks/policy.js';
import { parseBlockTarget } from '../../../src/core/blocks/target.js';
import { parseDuration } from '../../../src/core/duration.js';
import { AgentsecError } from '../../../src/core/errors.js';
import { parseIp } from '../../../src/core/net/index.js';

function target(text: string) {
  const t = parseBlockTarget(text);
  if (!t.ok) throw new Error(t.message);
  return t.target;
}

function block(value: string, expiresAt: number | null = null): BlockRecord {
  const t = target(value);
  return { value: t.value, scope: t.scope, start: t.start, end: t.end, reason: null, source: 'test', createdAt: 0, expiresAt, count: 1 };
}

test('targets are canonical: compressed lower-case IPv6, mapped IPv4 folded, /32 is the address, host bits refused', () => {
  assert.equal(target('2001:DB8:0:0:0:0:0:1').value, '2001:db8::1');
  assert.equal(target('::ffff:192.0.2.1').value, '192.0.2.1');
  assert.equal(target('192.0.2.1/32').scope, 'ip');
  assert.equal(target('192.0.2.1/32').value, '192.0.2.1');
  assert.equal(target('10.0.0.0/8').scope, 'range');
  assert.equal(target('::ffff:10.0.0.0/104').value, '10.0.0.0/8');
  assert.deepEqual([target('10.0.0.0/8').start, target('10.0.0.0/8').end], ['4:0a000000', '4:0affffff']);
  assert.equal(target('2001:db8::/32').end, '6:20010db8ffffffffffffffffffffffff');
  const bad = parseBlockTarget('10.0.0.1/8');
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.message, /host bits set: did you mean 10.0.0.0\/8/);
  assert.equal(parseBlockTarget('300.1.1.1').ok, false);
  assert.equal(parseBlockTarget('fe80::1%eth0').ok, false);
});

test('escalation doubles per repeat and stops at max-duration', () => {
  const p = { blockDurationMs: 3_600_000, maxDurationMs: 7 * 86_400_000 };
  assert.deepEqual([1, 2, 3, 4].map((c) => escalatedDurationMs(p, c) / 3_600_000), [1, 2, 4, 8]);
  assert.equal(escalatedDurationMs(p, 9), 7 * 86_400_000);
  assert.equal(escalatedDurationMs(p, 1000), 7 * 86_400_000);
});

test('the policy blocks at max-failures with an absolute expiry, and not before', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.deepEqual(decideFailure(DEFAULT_POLICY, { now, failures: 4, priorBlocks: 0 }), { block: false, failures: 4 });
  assert.deepEqual(decideFailure(DEFAULT_POLICY, { now, failures: 5, priorBlocks: 2 }), { block: true, failures: 5, count: 3, createdAt: now, expiresAt: now + 4 * 3_600_000 });
  assert.equal(decideFailure({ ...DEFAULT_POLICY, enabled: false }, { now, failures: 50, priorBlocks: 0 }).block, false);
});

test('IPv6 failures aggregate per /64 when asked; IPv4 stays per address', () => {
  const ip6 = parseIp('2001:db8:1:2:aaaa::5');
  const ip4 = parseIp('192.0.2.9');
  assert.ok(ip6 && ip4);
  assert.equal(failureSubject({ ipv6Prefix: 64 }, ip6).value, '2001:db8:1:2::/64');
  assert.equal(failureSubject({ ipv6Prefix: 128 }, ip6).value, '2001:db8:1:2:aaaa::5');
  assert.equal(failureSubject({ ipv6Prefix: 64 }, ip4).value, '192.0.2.9');
});

test('config: durations, allowlist canonicalised, bad values are configuration errors', () => {
  const p = policyFromConfig({ maxFailures: 3, findTime: '5m', blockDuration: '2h', maxDuration: '1d', allowlist: ['::ffff:10.0.0.0/104', '2001:DB8::1'], ipv6Prefix: 64 }, parseDuration);
  assert.equal(p.maxFailures, 3);
  assert.equal(p.findTimeMs, 300_000);
  assert.deepEqual(p.allowlist, ['10.0.0.0/8', '2001:db8::1']);
  assert.equal(policyFromConfig(undefined, parseDuration).maxFailures, 5);
  assert.throws(() => policyFromConfig({ allowlist: ['10.0.0.1/8'] }, parseDuration), (e: unknown) => e instanceof AgentsecError && /blocks.allowlist/.test(e.message));
  // The same strict parser as every other IP input: a padded or zero-led entry is a configuration error, not trimmed.
  for (const bad of [' 10.0.0.0/8', '10.0.0.0/8 ', '010.0.0.0/8', '[10.0.0.1]']) {
    assert.throws(() => policyFromConfig({ allowlist: [bad] }, parseDuration), (e: unknown) => e instanceof AgentsecError && /blocks.allowlist/.test(e.message), bad);
  }
  assert.throws(() => policyFromConfig({ blockDuration: '2d', maxDuration: '1d' }, parseDuration), /maxDuration/);
});

test('allowlist conflicts: a range holding an allowlisted address, or an address inside an allowlisted range', () => {
  const allow = allowlistCidrs(DEFAULT_POLICY);
  assert.equal(allowlistConflict(allow, target('127.0.0.5')), '127.0.0.0/8');
  assert.equal(allowlistConflict(allow, target('0.0.0.0/0')), '127.0.0.0/8');
  assert.equal(allowlistConflict(allow, target('::/0')), '::1/128');
  assert.equal(allowlistConflict(allow, target('128.0.0.0/8')), undefined);
});

test('the block index finds the narrowest active covering block and skips expired ones', () => {
  const idx = new BlockIndex();
  idx.set(block('10.0.0.0/8', 2000));
  idx.set(block('10.1.0.0/16', 1000));
  idx.set(block('10.1.2.3', null));
  idx.set(block('2001:db8::/32', null));
  idx.set(block('2001:db9::7', 500));
  const ip = (s: string) => parseIp(s) as NonNullable<ReturnType<typeof parseIp>>;
  assert.equal(idx.lookup(ip('10.1.2.3'), 0)?.value, '10.1.2.3');
  assert.equal(idx.lookup(ip('10.1.9.9'), 0)?.value, '10.1.0.0/16');
  assert.equal(idx.lookup(ip('10.1.9.9'), 1000)?.value, '10.0.0.0/8', 'expired at its instant: the wider block answers');
  assert.equal(idx.lookup(ip('10.1.9.9'), 2000), undefined);
  assert.equal(idx.lookup(ip('11.0.0.1'), 0), undefined);
  assert.equal(idx.lookup(ip('2001:db8:ffff::1'), 0)?.value, '2001:db8::/32');
  assert.equal(idx.lookup(ip('2001:db9::7'), 499)?.value, '2001:db9::7');
  assert.equal(idx.lookup(ip('2001:db9::7'), 500), undefined);
  assert.equal(idx.lookup(ip('::ffff:10.1.2.3'), 0)?.value, '10.1.2.3');
  idx.delete('10.1.2.3');
  idx.delete('10.1.0.0/16');
  assert.equal(idx.lookup(ip('10.1.2.3'), 0)?.value, '10.0.0.0/8');
  assert.equal(idx.size, 3);
});

test('exports: nginx deny lines, nftables at prerouting in one transaction, ipset swapped in, iptables and ip6tables own one chain', () => {
  const input = { v4: ['10.0.0.0/8', '192.0.2.1'], v6: ['2001:db8::/32'], generatedAt: '2026-11-22T00:00:00.000Z', path: '/etc/agentsec/x' };
  const nginx = renderExport('nginx', input).text;
  assert.match(nginx, /^deny 10\.0\.0\.0\/8;\ndeny 192\.0\.2\.1;\ndeny 2001:db8::\/32;\n$/m);
  assert.match(nginx, /protect only what this nginx serves/);
  assert.match(nginx, /`include \/etc\/agentsec\/x;`/);
  assert.match(nginx, /^# {3}nginx -t && nginx -s reload$/m);
  const nft = renderExport('nftables', input).text;
  assert.match(nft, /table inet agentsec\ndelete table inet agentsec\ntable inet agentsec \{/);
  assert.match(nft, /set blocked4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+auto-merge\n\s+elements = \{\n\s+10\.0\.0\.0\/8,\n\s+192\.0\.2\.1\n/);
  assert.match(nft, /type filter hook prerouting priority raw; policy accept;\n\s+ip saddr @blocked4 drop\n\s+ip6 saddr @blocked6 drop/);
  assert.doesNotMatch(nft, /hook input/, 'input never sees what Docker DNATs to a container');
  assert.match(nft, /^# {3}nft -f \/etc\/agentsec\/x$/m);
  assert.doesNotMatch(renderExport('nftables', { ...input, v6: [] }).text, /elements = \{\s*\}/, 'an empty set has no elements clause');
  const ipset = renderExport('ipset', input).text;
  assert.match(ipset, new RegExp(`create agentsec-v4 hash:net family inet maxelem ${IPSET_MAXELEM} -exist\ndestroy agentsec-v4-new -exist\ncreate agentsec-v4-new hash:net family inet maxelem ${IPSET_MAXELEM}\nadd agentsec-v4-new 10\\.0\\.0\\.0/8 -exist`));
  assert.match(ipset, /swap agentsec-v6-new agentsec-v6\ndestroy agentsec-v6-new\n$/);
  assert.equal(renderExport('ipset', { ...input, v4: Array.from({ length: 100_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`) }).text.match(/maxelem (\d+)/g)?.every((m) => m === `maxelem ${IPSET_MAXELEM}`), true, 'the same maxelem at any size');
  assert.match(ipset, /^# {3}for c in INPUT DOCKER-USER; do iptables -w -C "\$c" -m set --match-set agentsec-v4 src -j DROP 2>\/dev\/null \|\| iptables -w -I "\$c" -m set --match-set agentsec-v4 src -j DROP; done$/m);
  assert.match(ipset, /^# {3}for c in INPUT DOCKER-USER; do ip6tables .*agentsec-v6 src -j DROP; done$/m);
  const ipt = renderExport('iptables', input);
  assert.equal(ipt.skipped, 1);
  assert.match(ipt.skippedNote ?? '', /--format ip6tables/);
  assert.doesNotMatch(ipt.text, /2001/);
  assert.match(ipt.text, /^\*filter\n:agentsec-blocks - \[0:0\]\n-A agentsec-blocks -s 10\.0\.0\.0\/8 -j DROP\n-A agentsec-blocks -s 192\.0\.2\.1 -j DROP\nCOMMIT\n$/m);
  assert.doesNotMatch(ipt.text, /^:(INPUT|FORWARD|DOCKER-USER)/m, 'declaring a chain in a --noflush restore flushes it: only its own');
  assert.match(ipt.text, /^# {3}iptables-restore -w --noflush \/etc\/agentsec\/x$/m);
  const ip6 = renderExport('ip6tables', input);
  assert.equal(ip6.skipped, 2);
  assert.match(ip6.text, /^-A agentsec-blocks -s 2001:db8::\/32 -j DROP$/m);
  assert.doesNotMatch(ip6.text, /-s 10\./);
  assert.match(ip6.text, /^# {3}ip6tables-restore -w --noflush \/etc\/agentsec\/x$/m);
  assert.match(renderExport('iptables', { ...input, path: undefined }).text, /^# {3}iptables-restore -w --noflush FILE$/m);
  assert.equal(renderExport('plain', input).text, '10.0.0.0/8\n192.0.2.1\n2001:db8::/32\n');
});
