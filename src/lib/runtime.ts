import { createRuntime, type Runtime } from '../services/runtime.js';
import { libraryHome } from './home.js';

// A deprecated config key is worth one warning per process, not one per request.
const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(`agentsec: ${message}`, 'DeprecationWarning');
}

/** The services' runtime for library calls from a Node app: environment and working directory of the process, home as given. */
export function libraryRuntime(home?: string): Runtime {
  return createRuntime({ resolvedHome: libraryHome(home), env: process.env, cwd: process.cwd(), homeHint: 'home', warn: warnOnce });
}
