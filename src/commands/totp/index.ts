import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerBackupCodes } from './backup-codes.js';
import { registerConfirm } from './confirm.js';
import { registerEnroll } from './enroll.js';
import { registerList } from './list.js';
import { registerRemove } from './remove.js';
import { registerVerify } from './verify.js';

/** `agentsec totp …`: TOTP enrollment and verification, seeds sealed under the master key. */
export function registerTotp(program: Command, app: App): void {
  const totp = program.command('totp').description('enroll and verify TOTP codes with replay protection, lockout and backup codes').helpCommand(false);
  for (const register of [registerEnroll, registerConfirm, registerVerify, registerList, registerBackupCodes, registerRemove]) register(totp, app);
}
