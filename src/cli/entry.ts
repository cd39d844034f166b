/**
 * What `bin/agentsec.js` loads: the command runner and the process I/O. `npm run build` bundles this module (and the
 * modules it imports, lazily loaded areas as separate chunks) into `dist/cli/`, so start-up reads a handful of files
 * instead of hundreds of small ES modules.
 */
export { run } from './main.js';
export { processIo } from '../platform/io.js';
