import * as fs from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkResult {
  /** Absolute paths, sorted. */
  readonly files: string[];
  /** Paths given on the command line that do not exist. */
  readonly missing: string[];
}

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

interface Layer {
  readonly base: string;
  readonly ig: Ignore;
}

function readIgnore(dir: string): Layer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { base: dir, ig: ignore().add(text) };
}

function ignored(layers: readonly Layer[], abs: string, isDir: boolean): boolean {
  for (const l of layers) {
    const rel = relative(l.base, abs).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    if (l.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** The .gitignore files above `dir` up to the repository root (the directory holding .git), outermost first. */
function ancestorLayers(dir: string): Layer[] {
  if (fs.existsSync(join(dir, '.git'))) return [];
  const chain: string[] = [];
  let d = dir;
  for (let i = 0; i < 64; i++) {
    const up = dirname(d);
    if (up === d) return [];
    d = up;
    chain.push(d);
    if (fs.existsSync(join(d, '.git'))) return chain.reverse().map(readIgnore).filter((l): l is Layer => l !== undefined);
  }
  return [];
}

/**
 * Lists the files under `paths` (files given directly are always included), skipping `.git`, `node_modules` and
 * what `.gitignore` files (of the walked directories and their ancestors up to the repository root) exclude, and
 * what `skip` (the config's ignore patterns) says.
 */
export function walkPaths(paths: readonly string[], cwd: string, skip: (abs: string, isDir: boolean) => boolean = () => false): WalkResult {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (!st.isDirectory()) {
      files.push(abs);
      continue;
    }
    const walk = (dir: string, layers: Layer[]): void => {
      const own = readIgnore(dir);
      const here = own ? [...layers, own] : layers;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (ALWAYS_SKIPPED.has(e.name)) continue;
        const child = join(dir, e.name);
        const isDir = e.isDirectory();
        if (!isDir && !e.isFile()) continue;
        if (ignored(here, child, isDir) || skip(child, isDir)) continue;
        if (isDir) walk(child, here);
        else files.push(child);
      }
    };
    walk(abs, ancestorLayers(abs));
  }
  return { files: [...new Set(files)].sort(), missing };
}
