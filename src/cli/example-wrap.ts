/**
 * An example command line as a terminal or a man page shows it: at most `width` columns, ASCII. A trailing
 * `# comment` goes on a line of its own above the command; a long command is broken at spaces outside quotes,
 * each broken line ending in ` \` (the shell still reads one command) and the rest indented.
 */
export function wrapExample(line: string, width: number): string[] {
  const ascii = line.replace(/…/g, '...').replace(/—/g, '--').replace(/≥/g, '>=');
  const comment = /^(.*?\S)\s{2,}(# .*)$/.exec(ascii);
  const command = comment ? (comment[1] as string) : ascii;
  const out: string[] = comment ? [comment[2] as string] : [];
  if (command.length <= width) return [...out, command];
  // Words, with quoted strings kept whole.
  const words = [...command.matchAll(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g)].map((m) => m[0]);
  let current = '';
  for (const w of words) {
    if (current === '') current = w;
    else if (current.length + 1 + w.length + 2 <= width) current += ` ${w}`;
    else {
      out.push(`${current} \\`);
      current = `    ${w}`;
    }
  }
  out.push(current);
  return out;
}

/** The lines an example is shown as: its comment, `$ command` and continuation lines, each at most `width`. */
export function exampleLines(line: string, width: number): string[] {
  let prompted = false;
  return wrapExample(line, width - 2).map((w) => {
    if (!prompted && w.startsWith('# ')) return w;
    if (!prompted) {
      prompted = true;
      return `$ ${w}`;
    }
    return `  ${w}`;
  });
}
