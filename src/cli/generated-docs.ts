import { renderCatalog } from '../lint/catalog.js';
import { processIo } from '../platform/io.js';
import { bashCompletion, fishCompletion, manPage, zshCompletion } from './docs.js';
import { VERSION } from '../platform/version.js';
import { buildProgram } from './program.js';

/** Every generated file, relative to the repository root, with its content built from the command tree. */
export async function generatedDocs(): Promise<ReadonlyArray<{ path: string; content: string }>> {
  const program = await buildProgram({ io: processIo(), exitCode: 0 });
  return [
    { path: 'completions/agentsec.bash', content: bashCompletion(program) },
    { path: 'completions/_agentsec', content: zshCompletion(program) },
    { path: 'completions/agentsec.fish', content: fishCompletion(program) },
    { path: 'man/agentsec.1', content: manPage(program, VERSION) },
    { path: 'docs/lint-rules.md', content: renderCatalog() },
  ];
}
