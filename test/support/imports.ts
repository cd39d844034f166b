import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/** One import of a source file: the file it names (repository-relative, `.ts`) and whether it is type-only. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
  readonly line: number;
}

export function tsFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Static imports and re-exports (`import … from`, `import type … from`, `export … from`, bare `import '…'`) and
// dynamic `import('…')`, including `typeof import('…')` in types: every one of them is an edge, type-only ones too,
// since a type-only cycle is still a knot in the design.
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm;
const DYNAMIC = /import\(\s*'([^']+)'\s*\)/g;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The relative imports of every `.ts` file under `root/src`, resolved to repository-relative `.ts` paths. */
export function importGraph(root: string, under = 'src'): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of tsFiles(join(root, under))) {
    const text = readFileSync(file, 'utf8');
    const from = relative(root, file).split(sep).join('/');
    const add = (spec: string, typeOnly: boolean, index: number): void => {
      if (!spec.startsWith('.')) return;
      const to = relative(root, normalize(join(dirname(file), spec.replace(/\.js$/, '.ts')))).split(sep).join('/');
      edges.push({ from, to, typeOnly, line: lineOf(text, index) });
    };
    for (const m of text.matchAll(STATIC)) add(m[3] as string, m[2] !== undefined, m.index ?? 0);
    for (const m of text.matchAll(DYNAMIC)) add(m[1] as string, false, m.index ?? 0);
  }
  return edges;
}

/** The strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    (next.get(e.from) as Set<string>).add(e.to);
    if (!next.has(e.to)) next.set(e.to, new Set());
  }
  // Tarjan's algorithm, iterative so a deep chain cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; it: Iterator<string> }> = [];
    const visit = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, it: (next.get(node) as Set<string>).values() });
    };
    visit(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; it: Iterator<string> };
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        const selfLoop = (next.get(top.node) as Set<string>).has(top.node);
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}
