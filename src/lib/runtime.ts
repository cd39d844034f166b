import { createRuntime, type Runtime, type WarningKind } from '../services/runtime.js';
import { libraryHome } from './home.js';

// A deprecated config key or an unsealable audit chain is worth one warning per process, not one per request.
const warned = new Set<string>();
function warnOnce(message: string, kind: WarningKind): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(`agentsec: ${message}`, kind === 'deprecation' ? 'DeprecationWarning' : 'Warning');
}

/** The services' runtime for library calls from a Node app: environment and working directory of the process, home as given. */
export function libraryRuntime(home?: string): Runtime {
  return createRuntime({ resolvedHome: libraryHome(home), env: process.env, cwd: process.cwd(), homeHint: 'home', warn: warnOnce });
}
