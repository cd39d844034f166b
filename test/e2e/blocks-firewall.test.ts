import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { runCli, tempDir } from '../support/cli.js';
import { createLab, LAB, labUnavailable, nshOk, type Lab } from '../support/netns.js';

// The firewall exports applied for real: a client, a host that serves one port itself and publishes another to a
// "container" namespace the way Docker does (nat PREROUTING DNAT, FORWARD through DOCKER-USER), and the exact
// commands each file's header gives. A blocked client reaches neither port, an unblocked one both, re-applying adds
// nothing twice, a new export replaces the old one, and no rule the export did not create is removed.

const tmp = tempDir();
const blockedHome = join(tmp.dir, 'blocked');
const clearHome = join(tmp.dir, 'clear');
const legacyBin = join(tmp.dir, 'legacy-bin');

before(() => {
  for (const home of [blockedHome, clearHome]) {
    assert.equal(runCli(['--home', home, 'init', '--quiet']).code, 0);
    // Other blocks around the client's, so the sets hold more than the one address (ranges included).
    for (const v of ['198.51.100.0/24', '203.0.113.9', '2001:db8:bad::/48']) assert.equal(runCli(['--home', home, 'blocks', 'add', v]).code, 0);
  }
  for (const v of [LAB.blockedV4, LAB.blockedV6]) assert.equal(runCli(['--home', blockedHome, 'blocks', 'add', v, '--reason', 'test']).code, 0);
  // iptables-legacy under the plain names, so the header's commands run against the legacy backend unchanged.
  mkdirSync(legacyBin);
  for (const t of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) {
    const legacy = spawnSync('sh', ['-c', `command -v ${t.replace(/^(ip6?tables)/, '$1-legacy')}`], { encoding: 'utf8' }).stdout.trim();
    if (legacy) symlinkSync(legacy, join(legacyBin, t));
  }
});
after(() => tmp.cleanup());

/**
 * Exports from `home` into a file; returns it and the script that applies it: the commands its header gives, run the
 * way the README's `--then` does.
 */
function exportFile(home: string, format: string, name: string): { file: string; apply: string } {
  const file = join(tmp.dir, name);
  const r = runCli(['--home', home, 'blocks', 'export', '--format', format, '--output', file]);
  assert.equal(r.code, 0, r.stderr);
  const commands = [...readFileSync(file, 'utf8').matchAll(/^# {3}(.+)$/gm)].map((m) => m[1]).join('\n');
  assert.ok(commands.includes(file), `the ${format} header says how to apply this file:\n${readFileSync(file, 'utf8').slice(0, 2000)}`);
  return { file, apply: `sed -n 's/^#   //p' '${file}' | sh -e` };
}

/**
 * Docker's rules for one published port, as Docker writes them, plus rules of the admin's own that must survive.
 * Like Docker, it creates DOCKER-USER only when missing and then jumps there first from FORWARD.
 */
function dockerLike(lab: Lab, path: string | undefined): void {
  for (const [tool, ctr, dnat] of [['iptables', LAB.ctrV4, `${LAB.ctrV4}:80`], ['ip6tables', LAB.ctrV6, `[${LAB.ctrV6}]:80`]] as const) {
    nshOk(
      lab.host,
      `${tool} -t nat -N DOCKER
      ${tool} -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
      ${tool} -t nat -A DOCKER -p tcp --dport ${LAB.publishedPort} -j DNAT --to-destination ${dnat}
      ${tool} -N DOCKER-USER 2>/dev/null || true
      ${tool} -A DOCKER-USER -p udp --dport 9999 -j DROP
      ${tool} -A DOCKER-USER -j RETURN
      ${tool} -P FORWARD DROP
      ${tool} -A FORWARD -j DOCKER-USER
      ${tool} -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      ${tool} -A FORWARD -d ${ctr} -p tcp --dport 80 -j ACCEPT
      ${tool} -A INPUT -p udp --dport 9998 -j DROP`,
      path,
    );
  }
}

/** Every rule and chain of iptables-save, without counters and comments. */
function rules(lab: Lab, path: string | undefined): string[] {
  const out = nshOk(lab.host, 'iptables-save; ip6tables-save', path);
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''));
}

function assertKept(before: readonly string[], afterRules: readonly string[]): void {
  const missing = before.filter((l) => !afterRules.includes(l));
  assert.deepEqual(missing, [], 'rules that were there before applying are all still there');
}

function count(lines: readonly string[], rule: string): number {
  return lines.filter((l) => l === rule).length;
}

const REACHES: Record<string, [string, string]> = {
  [LAB.clientV4]: ['host', 'ctr'],
  [LAB.blockedV4]: ['host', 'ctr'],
  [LAB.clientV6]: ['host', 'ctr'],
  [LAB.blockedV6]: ['host', 'ctr'],
};
const BLOCKED: Record<string, [string, string]> = { ...REACHES, [LAB.blockedV4]: ['timeout', 'timeout'], [LAB.blockedV6]: ['timeout', 'timeout'] };

async function withLab(t: TestContext, tag: string, tools: string[], fn: (lab: Lab) => void): Promise<void> {
  const why = labUnavailable(tools);
  if (why) {
    t.skip(why);
    return;
  }
  const lab = await createLab(tag);
  try {
    fn(lab);
  } finally {
    lab.stop();
  }
}

for (const backend of ['nft', 'legacy'] as const) {
  test(`iptables and ip6tables exports (iptables-${backend}): drop blocked clients at host and Docker-published ports, remove nothing`, async (t) => {
    const tools = backend === 'legacy' ? ['iptables-legacy', 'iptables-legacy-save', 'iptables-legacy-restore', 'ip6tables-legacy', 'ip6tables-legacy-save', 'ip6tables-legacy-restore'] : ['iptables', 'ip6tables'];
    await withLab(t, `i${backend[0]}`, tools, (lab) => {
      const path = backend === 'legacy' ? legacyBin : undefined;
      dockerLike(lab, path);
      assert.deepEqual(lab.probe(), REACHES, 'before the export everyone reaches both ports');
      const before = rules(lab, path);
      const v4 = exportFile(blockedHome, 'iptables', `${backend}.rules`);
      const v6 = exportFile(blockedHome, 'ip6tables', `${backend}.rules6`);
      for (let i = 0; i < 2; i++) nshOk(lab.host, `${v4.apply}\n${v6.apply}`, path);
      const applied = rules(lab, path);
      assertKept(before, applied);
      for (const chain of ['INPUT', 'DOCKER-USER']) assert.equal(count(applied, `-A ${chain} -j agentsec-blocks`), 2, `one jump from ${chain} per family, after applying twice`);
      assert.equal(count(applied, `-A agentsec-blocks -s ${LAB.blockedV4}/32 -j DROP`), 1);
      assert.deepEqual(lab.probe(), BLOCKED);
      // A new export (the client's blocks lifted) replaces the chain's contents; the jumps stay single.
      const cleared4 = exportFile(clearHome, 'iptables', `${backend}-clear.rules`);
      const cleared6 = exportFile(clearHome, 'ip6tables', `${backend}-clear.rules6`);
      nshOk(lab.host, `${cleared4.apply}\n${cleared6.apply}`, path);
      const replaced = rules(lab, path);
      assertKept(before, replaced);
      assert.equal(count(replaced, `-A agentsec-blocks -s ${LAB.blockedV4}/32 -j DROP`), 0);
      assert.equal(count(replaced, '-A INPUT -j agentsec-blocks'), 2);
      assert.deepEqual(lab.probe(), REACHES);
    });
  });
}

test('iptables export applied before Docker starts: DOCKER-USER is made, and the ports Docker publishes later are covered', async (t) => {
  await withLab(t, 'ib', ['iptables', 'ip6tables'], (lab) => {
    const v4 = exportFile(blockedHome, 'iptables', 'early.rules');
    const v6 = exportFile(blockedHome, 'ip6tables', 'early.rules6');
    nshOk(lab.host, `${v4.apply}\n${v6.apply}`);
    dockerLike(lab, undefined);
    const applied = rules(lab, undefined);
    assert.equal(count(applied, '-A DOCKER-USER -j agentsec-blocks'), 2, 'Docker kept the jump in the DOCKER-USER it found');
    assert.equal(count(applied, '-A FORWARD -j DOCKER-USER'), 2);
    assert.deepEqual(lab.probe(), BLOCKED);
  });
});

test('nftables export: drops blocked clients before Docker-style DNAT and at host ports, touches no other table', async (t) => {
  await withLab(t, 'n', ['nft', 'iptables', 'ip6tables'], (lab) => {
    // Docker's rules through the default iptables (iptables-nft on Debian), and a table of the admin's own.
    dockerLike(lab, undefined);
    nshOk(lab.host, `nft add table inet keepme
      nft add chain inet keepme input '{ type filter hook input priority 10; policy accept; }'
      nft add rule inet keepme input udp dport 9997 drop`);
    assert.deepEqual(lab.probe(), REACHES);
    const before = rules(lab, undefined);
    const keepme = nshOk(lab.host, 'nft list table inet keepme');
    const blocked = exportFile(blockedHome, 'nftables', 'agentsec.nft');
    for (let i = 0; i < 2; i++) nshOk(lab.host, blocked.apply);
    assert.deepEqual(lab.probe(), BLOCKED);
    assertKept(before, rules(lab, undefined));
    assert.equal(nshOk(lab.host, 'nft list table inet keepme'), keepme);
    assert.equal((nshOk(lab.host, 'nft list tables').match(/^table inet agentsec$/gm) ?? []).length, 1);
    nshOk(lab.host, exportFile(clearHome, 'nftables', 'agentsec-clear.nft').apply);
    assert.deepEqual(lab.probe(), REACHES);
    assert.doesNotMatch(nshOk(lab.host, 'nft list table inet agentsec'), /10\.214\.1\.3/);
  });
});

test('ipset export: the sets and the --match-set rules from its header drop blocked clients at both ports, remove nothing', async (t) => {
  await withLab(t, 's', ['ipset', 'iptables', 'ip6tables'], (lab) => {
    dockerLike(lab, undefined);
    assert.deepEqual(lab.probe(), REACHES);
    const before = rules(lab, undefined);
    const blocked = exportFile(blockedHome, 'ipset', 'agentsec.ipset');
    for (let i = 0; i < 2; i++) nshOk(lab.host, blocked.apply);
    const applied = rules(lab, undefined);
    assertKept(before, applied);
    for (const chain of ['INPUT', 'DOCKER-USER']) {
      assert.equal(count(applied, `-A ${chain} -m set --match-set agentsec-v4 src -j DROP`), 1, `one v4 rule in ${chain} after applying twice`);
      assert.equal(count(applied, `-A ${chain} -m set --match-set agentsec-v6 src -j DROP`), 1, `one v6 rule in ${chain} after applying twice`);
    }
    assert.deepEqual(lab.probe(), BLOCKED);
    // Swapped in while referenced by the rules: the new contents apply at once, the temporary sets are gone.
    nshOk(lab.host, exportFile(clearHome, 'ipset', 'agentsec-clear.ipset').apply);
    assert.deepEqual(lab.probe(), REACHES);
    assert.deepEqual(nshOk(lab.host, 'ipset list -n').trim().split('\n').sort(), ['agentsec-v4', 'agentsec-v6']);
  });
});
