import { join } from 'node:path';

const MAGIC = /[*?[]/;

/** Whether a path pattern has glob characters (`*`, `?`, `[…]`), as nginx's `include` and shells read them. */
export function isGlob(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** One path component of a glob as a regular expression: `*` and `?` never cross `/`; `[!…]` negates. */
export function componentRegex(component: string): RegExp {
  let re = '';
  for (let i = 0; i < component.length; i++) {
    const c = component[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = component.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = component.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expands a relative glob against a directory with `list` (entry names of a directory; empty when it is none):
 * absolute paths, sorted as glob(3) sorts them, at most `limit`. A wildcard does not match a leading dot.
 */
export function expandGlob(pattern: string, baseDir: string, list: (absDir: string) => readonly string[], limit = 200): string[] {
  const parts = pattern.split('/').filter((p) => p !== '' && p !== '.');
  let paths = [baseDir];
  for (const part of parts) {
    if (!isGlob(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = componentRegex(part);
    const next: string[] = [];
    for (const dir of paths) {
      for (const name of [...list(dir)].sort()) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(join(dir, name));
        if (next.length >= limit) break;
      }
      if (next.length >= limit) break;
    }
    paths = next;
  }
  return isGlob(pattern) ? paths : [];
}
