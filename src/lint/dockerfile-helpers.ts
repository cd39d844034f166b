import type { DockerfileDocument } from './document.js';
import type { Instruction, Stage } from './parse/dockerfile.js';

/** The last stage: what the image runs. */
export function finalStage(doc: DockerfileDocument): Stage | undefined {
  return doc.stages[doc.stages.length - 1];
}

/** RUN instructions with their shell text (heredoc bodies included). */
export function runs(doc: DockerfileDocument): Array<{ instr: Instruction; script: string }> {
  return doc.instructions.filter((i) => i.keyword === 'RUN').map((instr) => ({ instr, script: shellText(instr) }));
}

/** The command text of a RUN: exec form joined, shell form as is, heredoc bodies appended. */
export function shellText(instr: Instruction): string {
  let text = instr.rest;
  const exec = /^\s*\[([\s\S]*)\]\s*$/.exec(text);
  if (exec) {
    try {
      text = (JSON.parse(`[${exec[1]}]`) as unknown[]).map(String).join(' ');
    } catch {
      /* not JSON: shell form after all */
    }
  }
  return [text, ...instr.heredocs.map((h) => h.body)].join('\n');
}

/** Global ARG defaults (before the first FROM), for resolving `FROM ${BASE}`. */
export function globalArgs(doc: DockerfileDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of doc.instructions) {
    if (i.keyword === 'FROM') break;
    if (i.keyword !== 'ARG') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(i.rest.trim());
    if (m && m[2] !== undefined) out.set(m[1] as string, (m[2] as string).replace(/^["']|["']$/g, ''));
  }
  return out;
}

export function expandArgs(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, def: string | undefined, b: string | undefined) => args.get((a ?? b) as string) ?? def ?? m);
}

/** Splits a shell script into commands at `&&`, `||`, `;`, `|` and newlines (quotes respected roughly). */
export function commands(script: string): string[] {
  return script
    .replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (q) => q.replace(/[;&|\n]/g, ' '))
    .split(/&&|\|\||[;|\n]/)
    .map((c) => c.trim())
    .filter(Boolean);
}
