import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerPassword } from '../password/index.js';
import { registerCheck } from './check.js';
import { registerGenerate } from './generate.js';
import { registerRotate } from './rotate.js';
import { registerStatus } from './status.js';

/** Issue 5's two groups: `secret` (generate, rotate, status, check) and `password` (hash, verify). */
export function registerSecrets(program: Command, app: App): void {
  const group = program.command('secret').description('generate, rotate in place (.env and Docker secrets files), track age, check strength')
    .helpCommand(false);
  registerGenerate(group, app);
  registerRotate(group, app);
  registerStatus(group, app);
  registerCheck(group, app);
  registerPassword(program, app);
}
