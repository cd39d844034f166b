import type { Position } from '../position.js';

export interface SourceLine {
  readonly line: number;
  readonly text: string;
}

export interface Instruction {
  /** Upper-cased: FROM, RUN, COPY … */
  readonly keyword: string;
  /** The arguments with line continuations removed and comment lines dropped, flags included. */
  readonly args: string;
  /** `--from=builder`, `--chown=…`: leading flags, name to value (`true` for a bare flag). */
  readonly flags: Readonly<Record<string, string>>;
  /** The arguments after the leading flags. */
  readonly rest: string;
  readonly heredocs: ReadonlyArray<{ readonly marker: string; readonly body: string; readonly line: number }>;
  readonly at: Position;
  readonly endLine: number;
  /** The physical lines this instruction spans, for placing findings on the line that holds the offending text. */
  readonly lines: readonly SourceLine[];
  /** Index of the stage (0-based) it belongs to; -1 before the first FROM. */
  readonly stage: number;
}

export interface Stage {
  readonly index: number;
  readonly from: Instruction;
  readonly image: string;
  readonly alias: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface ParsedDockerfile {
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at: Position }>;
}

const KNOWN = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

/** Parses a Dockerfile: parser directives (`# escape=`), continuations, comment lines inside them, heredocs. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const physical = text.split(/\r?\n/);
  let escape = '\\';
  const errors: Array<{ message: string; at: Position }> = [];
  // Parser directives: only in the leading comment block, before any instruction or blank line.
  for (const l of physical) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(.+?)\s*$/.exec(l);
    if (!m) break;
    if ((m[1] as string).toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const instructions: Instruction[] = [];
  const stages: Array<{ index: number; from: Instruction; image: string; alias: string | undefined; instructions: Instruction[] }> = [];
  let i = 0;
  while (i < physical.length) {
    const first = physical[i] as string;
    const trimmed = first.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const startLine = i + 1;
    const startCol = first.length - first.trimStart().length + 1;
    const lines: SourceLine[] = [];
    let joined = '';
    for (;;) {
      const raw = physical[i] as string;
      lines.push({ line: i + 1, text: raw });
      const cont = endsWithEscape(raw, escape);
      joined += cont ? raw.replace(/\s*$/, '').slice(0, -1) : raw;
      i++;
      if (!cont) break;
      // Comment and blank lines inside a continuation are skipped, as BuildKit does.
      while (i < physical.length && /^\s*(#.*)?$/.test(physical[i] as string)) i++;
      if (i >= physical.length) break;
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined) as RegExpExecArray;
    const keyword = (m[1] as string).toUpperCase();
    const args = (m[2] as string).trim();
    const heredocs: Array<{ marker: string; body: string; line: number }> = [];
    if (['RUN', 'COPY', 'ADD'].includes(keyword)) {
      const re = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
      let h: RegExpExecArray | null;
      while ((h = re.exec(args)) !== null) {
        const marker = h[3] as string;
        const strip = h[1] === '-';
        const bodyLines: string[] = [];
        const bodyLine = i + 1;
        let closed = false;
        while (i < physical.length) {
          const raw = physical[i] as string;
          lines.push({ line: i + 1, text: raw });
          i++;
          if ((strip ? raw.replace(/^\t+/, '') : raw) === marker) {
            closed = true;
            break;
          }
          bodyLines.push(raw);
        }
        if (!closed) errors.push({ message: `unterminated heredoc <<${marker}`, at: { line: startLine, column: startCol } });
        heredocs.push({ marker, body: bodyLines.join('\n'), line: bodyLine });
      }
    }
    if (!KNOWN.has(keyword)) errors.push({ message: `unknown instruction ${keyword.slice(0, 30)}`, at: { line: startLine, column: startCol } });
    const { flags, rest } = splitFlags(args);
    const instr: Instruction = {
      keyword,
      args,
      flags,
      rest,
      heredocs,
      at: { line: startLine, column: startCol },
      endLine: lines[lines.length - 1]?.line ?? startLine,
      lines,
      stage: keyword === 'FROM' ? stages.length : stages.length - 1,
    };
    instructions.push(instr);
    if (keyword === 'FROM') {
      const words = rest.split(/\s+/).filter(Boolean);
      const asIdx = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ index: stages.length, from: instr, image: words[0] ?? '', alias: asIdx >= 0 ? words[asIdx + 1] : undefined, instructions: [instr] });
    } else if (stages.length > 0) {
      (stages[stages.length - 1] as { instructions: Instruction[] }).instructions.push(instr);
    }
  }
  if (stages.length === 0 && instructions.length > 0) errors.push({ message: 'no FROM instruction', at: instructions[0]?.at ?? { line: 1, column: 1 } });
  return { instructions, stages, errors };
}

function endsWithEscape(line: string, escape: string): boolean {
  const t = line.replace(/\s+$/, '');
  if (!t.endsWith(escape)) return false;
  // A comment line ending in a backslash does not continue anything.
  return !/^\s*#/.test(line);
}

function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|'[^']*'|\S*))?\s*/.exec(rest);
    if (!m) break;
    flags[(m[1] as string).toLowerCase()] = m[2] === undefined ? 'true' : (m[2] as string).replace(/^["']|["']$/g, '');
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** The 1-based position of the first physical line of `instr` that matches `re` (the instruction's start otherwise). */
export function locateIn(instr: Instruction, re: RegExp): Position {
  for (const l of instr.lines) {
    const m = re.exec(l.text);
    if (m) return { line: l.line, column: m.index + 1 };
  }
  return instr.at;
}

/** `ENV A=1 B="two words"` or legacy `ENV A 1`: the pairs, in order. */
export function keyValuePairs(rest: string): Array<{ key: string; value: string | undefined }> {
  const out: Array<{ key: string; value: string | undefined }> = [];
  const legacy = /^([^\s=]+)\s+([\s\S]*)$/.exec(rest);
  if (legacy && !(legacy[1] as string).includes('=') && !/^[^\s=]+=/.test(rest)) return [{ key: legacy[1] as string, value: unquote((legacy[2] as string).trim()) }];
  const re = /([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s\\]|\\.)*))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) out.push({ key: m[1] as string, value: m[2] === undefined ? undefined : unquote(m[2]) });
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
