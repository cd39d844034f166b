import { readFileSync } from 'node:fs';
import { PACKAGE_NAME } from '../core/about.js';

/**
 * The version in agentsec's package.json, found upwards from this module (tsc's `dist/src/platform/` or the
 * bundle's `dist/cli/`). A leaf module, so every layer that reports the version (the root command, SARIF's tool
 * block) reads it here instead of importing the program that builds the CLI.
 */
function packageVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = new URL('..', dir);
  }
  return 'unknown';
}

export const VERSION: string = packageVersion();
