import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerAdd } from './add.js';
import { registerCheck } from './check.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerIngest } from './ingest.js';
import { registerList } from './list.js';
import { registerPolicy } from './policy.js';
import { registerPurge } from './purge.js';
import { registerRecord } from './record.js';
import { registerRemove } from './remove.js';
import { registerTail } from './tail.js';

/** `agentsec blocks …`: IP blocks from failures, by hand, from logs; a live view and firewall exports. */
export function registerBlocks(program: Command, app: App): void {
  const blocks = program.command('blocks').description('block IPs and ranges: from failures, by hand or from logs; live tail and firewall exports');
  for (const register of [registerAdd, registerRemove, registerList, registerCheck, registerRecord, registerPolicy, registerPurge, registerIngest, registerTail, registerExport, registerImport]) register(blocks, app);
}
