import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerCheck } from './check.js';
import { registerHash } from './hash.js';
import { registerVerify } from './verify.js';

export function registerPassword(program: Command, app: App): void {
  const group = program.command('password').description('hash and verify passwords with argon2id, and check them against the password policy').helpCommand(false);
  registerHash(group, app);
  registerVerify(group, app);
  registerCheck(group, app);
}
