/**
 * A real CrowdSec bouncer (Debian's crowdsec-custom-bouncer) against agentsec's decision API: a block added with the
 * CLI reaches the bouncer's script, and so does its removal.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decisionsEndpoint } from '../../src/server/decisions/endpoint.js';
import { runCli, tempDir } from '../support/cli.js';
import { startEndpoints } from '../support/endpoint-server.js';

const BOUNCER = '/usr/bin/crowdsec-custom-bouncer';

async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function bouncerConfig(dir: string, apiUrl: string, key: string, script: string, stdin: boolean): string {
  const path = join(dir, `bouncer-${stdin ? 'stdin' : 'args'}.yaml`);
  writeFileSync(
    path,
    [
      `bin_path: ${script}`,
      `feed_via_stdin: ${stdin}`,
      'total_retries: 0',
      'scenarios_containing: []',
      'scenarios_not_containing: []',
      'origins: []',
      `piddir: ${dir}`,
      'update_frequency: 1s',
      'cache_retention_duration: 1s',
      'daemonize: false',
      'log_mode: stdout',
      'log_level: info',
      `api_url: ${apiUrl}/`,
      `api_key: ${key}`,
      'prometheus:',
      '  enabled: false',
      '  listen_addr: 127.0.0.1',
      '  listen_port: 60602',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return path;
}

for (const stdin of [false, true]) {
  test(`crowdsec-custom-bouncer (feed_via_stdin: ${stdin}) receives a block added by the CLI, and its removal`, { timeout: 90_000 }, async (t) => {
    if (!existsSync(BOUNCER)) {
      t.skip('crowdsec-custom-bouncer is not installed (Debian package crowdsec-custom-bouncer; .ci/run installs it)');
      return;
    }
    const tmp = tempDir('agentsec-bouncer-');
    const home = join(tmp.dir, 'home');
    const cli = (...args: string[]) => runCli(['--home', home, ...args]);
    let child: ChildProcess | undefined;
    let output = '';
    try {
      assert.equal(cli('init').code, 0);
      const added = cli('serve', 'bouncer', 'add', 'custom', '--json');
      assert.equal(added.code, 0, added.stderr);
      const key = (JSON.parse(added.stdout) as { key: string }).key;
      const server = await startEndpoints({ home, endpoints: [decisionsEndpoint] });
      try {
        const seen = join(tmp.dir, 'seen.txt');
        const script = join(tmp.dir, 'record.sh');
        // With stdin, the bouncer writes one JSON decision per line; without, it runs the script per decision.
        writeFileSync(script, stdin ? `#!/bin/sh\nwhile IFS= read -r line; do printf '%s\\n' "$line" >> '${seen}'; done\n` : `#!/bin/sh\nprintf '%s\\n' "$*" >> '${seen}'\n`);
        chmodSync(script, 0o755);
        const config = bouncerConfig(tmp.dir, server.url, key, script, stdin);
        child = spawn(BOUNCER, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        const text = () => (existsSync(seen) ? readFileSync(seen, 'utf8') : '');
        // The bouncer's first pull (startup=true) must succeed before the block, so the block arrives as a delta.
        await waitFor('the first stream pull', () => [...server.counters.keys()].some((k) => k.includes('"route":"stream","outcome":"ok"')));
        assert.equal(cli('blocks', 'add', '203.0.113.7', '--for', '1h', '--reason', 'e2e').code, 0);
        assert.equal(cli('blocks', 'add', '198.51.100.0/24', '--for', '2h').code, 0);
        const addLine = (v: string) => (stdin ? new RegExp(`"action":"add".*"value":"${v.replace(/[./]/g, '\\$&')}"|"value":"${v.replace(/[./]/g, '\\$&')}".*"action":"add"`) : new RegExp(`^add ${v.replace(/[./]/g, '\\$&')} \\d+ `, 'm'));
        const delLine = (v: string) => (stdin ? new RegExp(`"action":"del".*"value":"${v.replace(/[./]/g, '\\$&')}"|"value":"${v.replace(/[./]/g, '\\$&')}".*"action":"del"`) : new RegExp(`^del ${v.replace(/[./]/g, '\\$&')} `, 'm'));
        await waitFor('the added blocks at the bouncer', () => addLine('203.0.113.7').test(text()) && addLine('198.51.100.0/24').test(text()));
        assert.equal(delLine('203.0.113.7').test(text()), false);
        assert.equal(cli('blocks', 'remove', '203.0.113.7').code, 0);
        await waitFor('the removal at the bouncer', () => delLine('203.0.113.7').test(text()));
        assert.equal(delLine('198.51.100.0/24').test(text()), false, 'the range stays banned');
        assert.doesNotMatch(output, /level=(error|fatal)/i);
        assert.ok(!server.observed().includes(key), 'the bouncer key is in no log line or metric');
      } finally {
        child?.kill('SIGTERM');
        await server.close();
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\nbouncer output:\n${output.slice(-3000)}`);
    } finally {
      tmp.cleanup();
    }
  });
}
