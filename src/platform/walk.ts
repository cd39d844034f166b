import * as fs from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkResult {
  /** Absolute paths, sorted. */
  readonly files: string[];
  /** Paths given on the command line that do not exist. */
  readonly missing: string[];
  /** The files of `files` that were named directly (not found by walking a directory). */
  readonly explicit: ReadonlySet<string>;
  /** The files of `files` that git ignores: named directly, or kept by `keepIgnored` while walking. */
  readonly ignored: ReadonlySet<string>;
}

export interface WalkOptions {
  /**
   * File names to keep although `.gitignore` excludes them (a git-ignored `.env` is what a server runs); they come
   * back in `ignored`. Ignored directories are still not entered.
   */
  readonly keepIgnored?: (name: string) => boolean;
}

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

interface Layer {
  readonly base: string;
  readonly ig: Ignore;
}

function readIgnore(dir: string, file = join(dir, '.gitignore')): Layer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return { base: dir, ig: ignore().add(text) };
}

/** As git decides: layers outermost first, and a deeper .gitignore that matches (`!keep.env` included) has the last word. */
function ignored(layers: readonly Layer[], abs: string, isDir: boolean): boolean {
  let verdict = false;
  for (const l of layers) {
    const rel = relative(l.base, abs).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    const r = l.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) verdict = true;
    else if (r.unignored) verdict = false;
  }
  return verdict;
}

/** The directory holding `.git` at or above `dir`, or undefined outside a work tree. */
function repoRoot(dir: string): string | undefined {
  let d = dir;
  for (let i = 0; i < 64; i++) {
    if (fs.existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

/**
 * The ignore rules that apply above `dir` (not its own .gitignore): the repository's `.git/info/exclude` and the
 * .gitignore files from the repository root down to `dir`'s parent, outermost first. None outside a work tree.
 */
function ancestorLayers(dir: string): Layer[] {
  const root = repoRoot(dir);
  if (root === undefined) return [];
  const chain: string[] = [];
  for (let d = dir; d !== root; d = dirname(d)) chain.push(dirname(d));
  const exclude = readIgnore(root, join(root, '.git', 'info', 'exclude'));
  const layers = chain.reverse().map((d) => readIgnore(d)).filter((l): l is Layer => l !== undefined);
  return exclude ? [exclude, ...layers] : layers;
}

/**
 * Whether git ignores a file, as `git check-ignore` decides from the repository's `.gitignore` files and
 * `.git/info/exclude` (a user's global excludes file is not read). Outside a work tree only the file's own
 * directory's `.gitignore` counts, and `repo` is false: nothing there is committed at all.
 */
export function gitIgnored(abs: string): { readonly ignored: boolean; readonly repo: boolean } {
  const dir = dirname(abs);
  const own = readIgnore(dir);
  // The ignore rules match a path below an ignored directory too (`build/` ignores `build/x/y`).
  const layers = [...ancestorLayers(dir), ...(own ? [own] : [])];
  return { ignored: ignored(layers, abs, false), repo: repoRoot(dir) !== undefined };
}

/**
 * Lists the files under `paths` (files given directly are always included), skipping `.git`, `node_modules` and
 * what `.gitignore` files (of the walked directories and their ancestors up to the repository root, and the
 * repository's `.git/info/exclude`) exclude, and what `skip` (the config's ignore patterns) says.
 */
export function walkPaths(paths: readonly string[], cwd: string, skip: (abs: string, isDir: boolean) => boolean = () => false, opts: WalkOptions = {}): WalkResult {
  const files: string[] = [];
  const missing: string[] = [];
  const explicit = new Set<string>();
  const kept = new Set<string>();
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
      explicit.add(abs);
      if (gitIgnored(abs).ignored) kept.add(abs);
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
        if (skip(child, isDir)) continue;
        if (ignored(here, child, isDir)) {
          if (isDir || !opts.keepIgnored?.(e.name)) continue;
          kept.add(child);
        }
        if (isDir) walk(child, here);
        else files.push(child);
      }
    };
    walk(abs, ancestorLayers(abs));
  }
  return { files: [...new Set(files)].sort(), missing, explicit, ignored: kept };
}
