import type { DockerfileDocument } from './document.js';
import { keyValuePairs, type Instruction, type Stage } from './parse/dockerfile.js';

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
    for (const kv of keyValuePairs(i.rest)) if (kv.value !== undefined) out.set(kv.key, kv.value);
  }
  return out;
}

/**
 * Expands `$A`, `${A}`, `${A:-word}`, `${A-word}`, `${A:+word}` and `${A+word}` as BuildKit does: an unset variable
 * is empty (so `${A:+x}` is empty and `${A:-y}` is `y`). A plain reference to a variable with no known value (a
 * build argument given only at build time) stays as written, so callers can tell the result is not known.
 */
export function expandArgs(text: string, args: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, op: string | undefined, word: string | undefined, b: string | undefined) => {
    const v = args.get((a ?? b) as string);
    if (op === undefined) return v ?? m;
    const set = op.startsWith(':') ? v !== undefined && v !== '' : v !== undefined;
    if (op.endsWith('-')) return set ? (v as string) : expandArgs(word ?? '', args);
    return set ? expandArgs(word ?? '', args) : '';
  });
}

/**
 * The earlier stage a stage builds on (`FROM base`, `FROM base-${VARIANT:-cpu}`), resolved with the global ARG
 * defaults as BuildKit resolves it; undefined for an image.
 */
export function parentStage(doc: DockerfileDocument, stage: Stage): Stage | undefined {
  const name = expandArgs(stage.image, globalArgs(doc)).toLowerCase();
  return doc.stages.find((s) => s.index < stage.index && s.alias !== undefined && s.alias.toLowerCase() === name);
}

/**
 * The variables in effect at an instruction of a stage, for `USER $APP_UID`: the ENV of the stages it builds on, and
 * the ENV and ARG defaults of its own instructions before it (an `ARG NAME` without a default takes the global one).
 */
export function varsAt(doc: DockerfileDocument, stage: Stage, before?: Instruction): Map<string, string> {
  return stageVars(doc, stage, before, new Set()).all;
}

function stageVars(doc: DockerfileDocument, stage: Stage, before: Instruction | undefined, seen: Set<number>): { env: Map<string, string>; all: Map<string, string> } {
  seen.add(stage.index);
  const parent = parentStage(doc, stage);
  // ENV is inherited from the stage built on; ARG is not.
  const env = parent && !seen.has(parent.index) ? new Map(stageVars(doc, parent, undefined, seen).env) : new Map<string, string>();
  const all = new Map(env);
  const global = globalArgs(doc);
  for (const i of stage.instructions) {
    if (i === before) break;
    if (i.keyword !== 'ENV' && i.keyword !== 'ARG') continue;
    for (const kv of keyValuePairs(i.rest)) {
      const value = kv.value !== undefined ? expandArgs(kv.value, all) : i.keyword === 'ARG' ? global.get(kv.key) : undefined;
      if (value === undefined) continue;
      all.set(kv.key, value);
      if (i.keyword === 'ENV') env.set(kv.key, value);
    }
  }
  return { env, all };
}

/** Splits a shell script into commands at `&&`, `||`, `;`, `|` and newlines (quotes respected roughly). */
export function commands(script: string): string[] {
  return script
    .replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (q) => q.replace(/[;&|\n]/g, ' '))
    .split(/&&|\|\||[;|\n]/)
    .map((c) => c.trim())
    .filter(Boolean);
}
