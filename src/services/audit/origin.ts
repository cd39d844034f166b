import { hostname } from 'node:os';
import type { Config } from '../../core/config.js';

/**
 * This host's origin: the name of its audit chain in checkpoints and, on a shared PostgreSQL store, the scope of
 * its chain and meta among the fleet's. config.yaml's audit.origin, else the host name.
 */
export function hostOrigin(config: Config): string {
  return (config.audit?.origin ?? hostname().replace(/[^A-Za-z0-9._:@/-]/g, '-').slice(0, 128)) || 'agentsec';
}
