import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerIssue } from './issue.js';
import { registerList } from './list.js';
import { registerRevoke } from './revoke.js';
import { registerRotate } from './rotate.js';
import { registerScan } from './scan.js';
import { registerShow } from './show.js';
import { registerVerify } from './verify.js';

/** `agentsec keys …`: API keys, stored only as HMACs. */
export function registerKeys(program: Command, app: App): void {
  const keys = program.command('keys').description('issue, verify, rotate, revoke and scan for API keys (stored only as hashes)');
  for (const register of [registerIssue, registerList, registerShow, registerVerify, registerRotate, registerRevoke, registerScan]) register(keys, app);
}
