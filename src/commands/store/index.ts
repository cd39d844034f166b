import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerStoreMigrate } from './migrate.js';
import { registerStoreStatus } from './status.js';

export function registerStore(program: Command, app: App): void {
  const store = program.command('store').description('the store itself: its backend and status, and copying it into PostgreSQL (SQLite in the home, or PostgreSQL for a fleet)');
  for (const register of [registerStoreStatus, registerStoreMigrate]) register(store, app);
}
