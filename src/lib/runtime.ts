import { createRuntime, type Runtime } from '../services/runtime.js';
import { libraryHome } from './home.js';

/** The services' runtime for library calls from a Node app: environment and working directory of the process, home as given. */
export function libraryRuntime(home?: string): Runtime {
  return createRuntime({ resolvedHome: libraryHome(home), env: process.env, cwd: process.cwd(), homeHint: 'home' });
}
