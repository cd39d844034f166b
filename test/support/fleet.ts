/**
 * Homes of a fleet for the tests: each its own temp home (its own master key unless told to share one), pointed at
 * one PostgreSQL database by `store:` in its config.yaml, with its own audit origin, initialised by the binary.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './cli.js';

export interface FleetHomes {
  home(name: string, url: string, opts?: { masterKeyFrom?: string }): string;
  /** The epoch-0 audit public key of a home (what the operator pins, off the hosts). */
  pubkey(home: string): string;
  cleanup(): void;
}

export function fleetHomes(): FleetHomes {
  const cleanups: Array<() => void> = [];
  return {
    home(name, url, opts = {}) {
      const t = tempDir(`agentsec-fleet-${name}-`);
      cleanups.push(t.cleanup);
      // A master key shared by the operator's means (the hosts that verify each other's API keys, TOTP codes or
      // HMAC tokens need the same one); otherwise init makes a new one.
      if (opts.masterKeyFrom) copyFileSync(join(opts.masterKeyFrom, 'master.key'), join(t.dir, 'master.key'));
      writeFileSync(join(t.dir, 'config.yaml'), `store: ${JSON.stringify(url)}\naudit:\n  origin: ${name}\n`, { mode: 0o600 });
      const r = runCli(['--home', t.dir, 'init', '--quiet']);
      assert.equal(r.code, 0, r.stderr);
      return t.dir;
    },
    pubkey(home) {
      // init prints the key on every run (idempotent), so a second run reads it back.
      const r = runCli(['--home', home, 'init', '--quiet']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    },
    cleanup() {
      for (const c of cleanups.splice(0)) c();
    },
  };
}
