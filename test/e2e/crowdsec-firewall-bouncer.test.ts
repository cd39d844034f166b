/**
 * A second real client of the decision API: Debian's crowdsec-firewall-bouncer in nftables mode, inside a network
 * namespace of its own (its rules never touch the host). It reaches agentsec through a forwarder in the namespace to
 * the test server's Unix socket. A block added with the CLI must appear in the namespace's nftables set, and leave
 * it when removed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decisionsEndpoint } from '../../src/server/decisions/endpoint.js';
import { runCli, tempDir } from '../support/cli.js';
import { startEndpoints } from '../support/endpoint-server.js';
import { labUnavailable } from '../support/netns.js';

const BOUNCER = '/usr/bin/crowdsec-firewall-bouncer';

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('crowdsec-firewall-bouncer (nftables, in a network namespace) enforces a CLI block and lifts it', { timeout: 120_000 }, async (t) => {
  const why = !existsSync(BOUNCER) ? 'crowdsec-firewall-bouncer is not installed (Debian package crowdsec-firewall-bouncer; .ci/run installs it)' : labUnavailable(['nft']);
  if (why) {
    t.skip(why);
    return;
  }
  const ns = `as-fwb-${process.pid}`;
  const tmp = tempDir('agentsec-fwb-');
  const home = join(tmp.dir, 'home');
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);
  const children: ChildProcess[] = [];
  let output = '';
  let lastRules = '';
  assert.equal(spawnSync('ip', ['netns', 'add', ns]).status, 0);
  try {
    spawnSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    assert.equal(cli('init').code, 0);
    const key = (JSON.parse(cli('serve', 'bouncer', 'add', 'fw', '--json').stdout) as { key: string }).key;
    const socket = join(tmp.dir, 'api.sock');
    const server = await startEndpoints({ home, endpoints: [decisionsEndpoint], socket });
    try {
      const port = 18000 + (process.pid % 2000);
      const forward = `const net=require('node:net');net.createServer((c)=>{const u=net.connect(${JSON.stringify(socket)});c.pipe(u).pipe(c);c.on('error',()=>u.destroy());u.on('error',()=>c.destroy());}).listen(${port},'127.0.0.1',()=>console.log('ready'));`;
      const fwd = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', forward], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(fwd);
      await new Promise<void>((resolve, reject) => {
        fwd.stdout?.once('data', () => resolve());
        fwd.once('exit', (c) => reject(new Error(`forwarder exited ${c}`)));
      });
      const config = join(tmp.dir, 'fw.yaml');
      writeFileSync(
        config,
        [
          'mode: nftables',
          `pid_dir: ${tmp.dir}`,
          'update_frequency: 1s',
          'daemonize: false',
          'log_mode: stdout',
          'log_level: info',
          `api_url: http://127.0.0.1:${port}/`,
          `api_key: ${key}`,
          'disable_ipv6: false',
          'deny_action: DROP',
          'deny_log: false',
          'supported_decisions_types:',
          '  - ban',
          'blacklists_ipv4: crowdsec-blacklists',
          'blacklists_ipv6: crowdsec6-blacklists',
          'nftables:',
          '  ipv4:',
          '    enabled: true',
          '    set-only: false',
          '    table: crowdsec',
          '    chain: crowdsec-chain',
          '  ipv6:',
          '    enabled: true',
          '    set-only: false',
          '    table: crowdsec6',
          '    chain: crowdsec6-chain',
          'prometheus:',
          '  enabled: false',
          '  listen_addr: 127.0.0.1',
          '  listen_port: 60601',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      const bouncer = spawn('ip', ['netns', 'exec', ns, BOUNCER, '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(bouncer);
      bouncer.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      bouncer.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const ruleset = () => (lastRules = spawnSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'ruleset'], { encoding: 'utf8' }).stdout ?? '');
      await waitFor('the first stream pull', () => [...server.counters.keys()].some((k) => k.includes('"route":"stream","outcome":"ok"')));
      assert.equal(cli('blocks', 'add', '203.0.113.7', '--for', '1h').code, 0);
      assert.equal(cli('blocks', 'add', '2001:db8::77', '--for', '1h').code, 0);
      await waitFor('the blocks in the nftables sets', () => ruleset().includes('203.0.113.7') && ruleset().includes('2001:db8::77'));
      assert.equal(cli('blocks', 'remove', '203.0.113.7').code, 0);
      await waitFor('the removal from the nftables set', () => !ruleset().includes('203.0.113.7'));
      assert.ok(ruleset().includes('2001:db8::77'), 'the other block stays');
    } finally {
      for (const c of children.reverse()) c.kill('SIGTERM');
      await server.close();
    }
  } catch (err) {
    throw new Error(`${(err as Error).message}\nbouncer output:\n${output.slice(-3000)}\nnftables:\n${lastRules.slice(-3000)}`);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
    tmp.cleanup();
  }
});
