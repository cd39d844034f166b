import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Bundles the CLI (`dist/src/cli/entry.js`, compiled by tsc) into `dist/cli/` for `bin/agentsec.js`: ES modules,
 * one chunk per lazily loaded command area. Most of a command's start-up was Node resolving and compiling some
 * 300 small modules; the bundle cuts that to a few files. Native modules (better-sqlite3, argon2) stay external,
 * and CommonJS dependencies get a `require` made for the chunk. The library (`dist/src/index.js`) is not bundled.
 */
/**
 * zod re-exports its 40-odd locales as `z.locales`; bundled, that namespace carries some 500 kB that every command
 * reading the config would parse at start-up. agentsec only ever uses the English messages zod installs by default
 * (`classic/schemas.js` imports `locales/en.js` directly, so it is untouched), so the bundle's locale index offers
 * just that one. The library build (tsc, `dist/src`) still imports zod whole.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";\n', loader: 'js' }));
  },
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The lint worker is an entry of its own: `lint` starts it by URL, beside the chunk that starts it.
  entryPoints: { entry: join(root, 'dist', 'src', 'cli', 'entry.js'), 'lint-worker': join(root, 'dist', 'src', 'commands', 'lint', 'lint-worker.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'argon2'],
  banner: { js: "import { createRequire as __agentsecRequire } from 'node:module'; const require = __agentsecRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  legalComments: 'none',
  logLevel: 'warning',
});
