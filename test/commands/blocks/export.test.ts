import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, initHome } from './helpers.js';

let home: string;
let cleanup: () => void;
before(async () => {
  ({ home, cleanup } = await initHome());
  for (const v of ['192.0.2.7', '2001:db8:7::/48']) assert.equal((await cli(home, ['blocks', 'add', v])).code, 0);
});
after(() => cleanup());

test('the header names the written file in its apply commands, unless the path is not shell- and comment-safe', async () => {
  const safe = join(home, 'blocks.rules');
  assert.equal((await cli(home, ['blocks', 'export', '--format', 'iptables', '--output', safe])).code, 0);
  assert.match(readFileSync(safe, 'utf8'), new RegExp(`^# {3}iptables-restore -w --noflush ${safe}$`, 'm'));
  // A newline in the path would end the comment and start a rule of the attacker's choosing.
  for (const name of ['with space.rules', 'x\n-A INPUT -j ACCEPT', "q'uote.rules"]) {
    const file = join(home, name);
    const r = await cli(home, ['blocks', 'export', '--format', 'iptables', '--output', file]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# {3}iptables-restore -w --noflush FILE$/m);
    assert.doesNotMatch(text, /^-A INPUT/m);
    assert.ok(!text.includes(name), 'the unsafe path is not in the file');
  }
});

test('iptables holds IPv4 and ip6tables IPv6: each warns about the other family and names the format for it', async () => {
  const v4 = await cli(home, ['blocks', 'export', '--format', 'iptables']);
  assert.equal(v4.code, 0);
  assert.match(v4.stdout, /^-A agentsec-blocks -s 192\.0\.2\.7 -j DROP$/m);
  assert.match(v4.stderr, /1 IPv6 block left out: .*--format ip6tables/);
  const v6 = await cli(home, ['blocks', 'export', '--format', 'ip6tables']);
  assert.equal(v6.code, 0);
  assert.match(v6.stdout, /^-A agentsec-blocks -s 2001:db8:7::\/48 -j DROP$/m);
  assert.doesNotMatch(v6.stdout, /192\.0\.2\.7/);
  assert.match(v6.stderr, /1 IPv4 block left out: .*--format iptables/);
});
