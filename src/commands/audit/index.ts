import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerAppend } from './append.js';
import { registerExport } from './export.js';
import { registerAuditInit } from './init.js';
import { registerLog } from './log.js';
import { registerRekey } from './rekey.js';
import { registerSeal } from './seal.js';
import { registerStatus } from './status.js';
import { registerVerify } from './verify.js';

export function registerAudit(program: Command, app: App): void {
  const audit = program.command('audit').description('the tamper-evident audit chain: append, seal, verify, log, export, status, rekey');
  for (const register of [registerAuditInit, registerVerify, registerAppend, registerSeal, registerLog, registerExport, registerStatus, registerRekey]) register(audit, app);
}
