import type { Argument, Command, Option } from 'commander';

/** Where the values of a dynamic completion come from: read from the home by `agentsec __complete SOURCE`. */
export const DYNAMIC_SOURCES = ['key-ids', 'jwt-kids', 'totp-users', 'blocks', 'lint-rules', 'roles'] as const;
export type DynamicSource = (typeof DYNAMIC_SOURCES)[number];

/** What a shell offers for an option's value or a positional argument. */
export type Completer =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'file' }
  | { readonly kind: 'dir' }
  | { readonly kind: 'dynamic'; readonly source: DynamicSource }
  /** Free text (a name, a duration, JSON): offer nothing rather than option names. */
  | { readonly kind: 'none' };

const SPECS = new WeakMap<Option | Argument, Completer>();

/** Declares how an option's value or an argument completes, where its placeholder and choices do not say. */
export function completes<T extends Option | Argument>(target: T, completer: Completer): T {
  SPECS.set(target, completer);
  return target;
}

/** Declares how the positional arguments of `cmd` complete, in order (the last one repeats if variadic). */
export function completesArgs(cmd: Command, ...completers: Completer[]): Command {
  cmd.registeredArguments.forEach((a, i) => {
    const c = completers[i];
    if (c) SPECS.set(a, c);
  });
  return cmd;
}

export const FILE: Completer = { kind: 'file' };
export const DIR: Completer = { kind: 'dir' };
export const dynamic = (source: DynamicSource): Completer => ({ kind: 'dynamic', source });

/**
 * How a value completes: what was declared, else the choices the option or argument accepts, else a path when its
 * placeholder says one (`<file>`, `<dir>`), else free text.
 */
export function completerOf(target: Option | Argument): Completer {
  const declared = SPECS.get(target);
  if (declared) return declared;
  const choices = target.argChoices;
  if (choices && choices.length > 0) return { kind: 'values', values: choices };
  const placeholder = 'flags' in target ? target.flags : `<${target.name()}>`;
  if (/<dir[^>]*>/.test(placeholder)) return DIR;
  if (/<(file|path|db)[^>]*>/.test(placeholder)) return FILE;
  return { kind: 'none' };
}

/** Whether an option may be given more than once: its description says "repeatable" or "repeat". */
export function isRepeatable(o: Option): boolean {
  return o.variadic || /\brepeat(able)?\b/.test(o.description);
}
