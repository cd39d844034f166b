import type { Command, Option } from 'commander';
import { EXIT_CODE_DOCS } from '../core/errors.js';
import { examplesOf } from './command.js';

interface Node {
  readonly path: string[];
  readonly cmd: Command;
}

function walk(cmd: Command, path: string[] = []): Node[] {
  const nodes: Node[] = [{ path, cmd }];
  for (const sub of cmd.commands) nodes.push(...walk(sub, [...path, sub.name()]));
  return nodes;
}

function visibleOptions(cmd: Command): Option[] {
  return cmd.options.filter((o) => !o.hidden);
}

function flagsOf(o: Option): string[] {
  return [o.short, o.long].filter((f): f is string => Boolean(f));
}

function argChoices(cmd: Command): string[] {
  return cmd.registeredArguments.flatMap((a) => a.argChoices ?? []);
}

function takesFile(o: Option): boolean {
  return /<(file|dir|path)[^>]*>/.test(o.flags);
}

const HEADER = 'generated from the command tree by `npm run docs`; do not edit';

export function bashCompletion(root: Command): string {
  const nodes = walk(root);
  const globals = visibleOptions(root).flatMap(flagsOf);
  const out: string[] = [`# bash completion for agentsec — ${HEADER}`, '_agentsec() {', '  local cur prev path w i words', '  cur="${COMP_WORDS[COMP_CWORD]}"', '  prev="${COMP_WORDS[COMP_CWORD-1]}"', '  case "$prev" in'];
  const fileOpts = nodes.flatMap((n) => visibleOptions(n.cmd).filter(takesFile).flatMap(flagsOf));
  if (fileOpts.length > 0) out.push(`    ${[...new Set(fileOpts)].sort().join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`);
  for (const n of nodes) {
    for (const o of visibleOptions(n.cmd)) {
      if (o.argChoices && o.argChoices.length > 0) out.push(`    ${flagsOf(o).join('|')}) COMPREPLY=( $(compgen -W "${o.argChoices.join(' ')}" -- "$cur") ); return ;;`);
    }
  }
  out.push('  esac', '  path=""', '  for ((i=1; i<COMP_CWORD; i++)); do', '    w="${COMP_WORDS[i]}"', '    case "$path/$w" in');
  const subPaths = nodes.filter((n) => n.path.length > 0).map((n) => `/${n.path.join('/')}`);
  out.push(`      ${subPaths.map((p) => `"${p}"`).join('|')}) path="$path/$w" ;;`);
  out.push('    esac', '  done', '  case "$path" in');
  for (const n of nodes) {
    const words = [...n.cmd.commands.map((c) => c.name()), ...argChoices(n.cmd), ...visibleOptions(n.cmd).flatMap(flagsOf), ...globals, '--help'];
    out.push(`    "${n.path.length ? `/${n.path.join('/')}` : ''}") words="${[...new Set(words)].join(' ')}" ;;`);
  }
  out.push('  esac', '  COMPREPLY=( $(compgen -W "$words" -- "$cur") )', '}', 'complete -o default -F _agentsec agentsec', '');
  return out.join('\n');
}

function zshQuote(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/:/g, '\\:');
}

export function zshCompletion(root: Command): string {
  const nodes = walk(root);
  const globals = visibleOptions(root).flatMap(flagsOf);
  const subPaths = nodes.filter((n) => n.path.length > 0).map((n) => `/${n.path.join('/')}`);
  const out: string[] = ['#compdef agentsec', `# zsh completion for agentsec — ${HEADER}`, '_agentsec() {', '  local path="" w i', '  local -a subcmds opts', '  for ((i=2; i<CURRENT; i++)); do', '    w="${words[i]}"', '    case "$path/$w" in'];
  out.push(`      ${subPaths.map((p) => `"${p}"`).join('|')}) path="$path/$w" ;;`);
  out.push('    esac', '  done', '  case "${words[CURRENT-1]}" in');
  const fileOpts = nodes.flatMap((n) => visibleOptions(n.cmd).filter(takesFile).flatMap(flagsOf));
  if (fileOpts.length > 0) out.push(`    ${[...new Set(fileOpts)].sort().join('|')}) _files; return ;;`);
  out.push('  esac', '  case "$path" in');
  for (const n of nodes) {
    const subs = [...n.cmd.commands.map((c) => `'${zshQuote(c.name())}:${zshQuote(c.description())}'`), ...argChoices(n.cmd).map((a) => `'${zshQuote(a)}'`)];
    const opts = [...new Set([...visibleOptions(n.cmd).flatMap(flagsOf), ...globals, '--help'])];
    out.push(`    "${n.path.length ? `/${n.path.join('/')}` : ''}") subcmds=(${subs.join(' ')}); opts=(${opts.join(' ')}) ;;`);
  }
  out.push('  esac', "  if [[ ${words[CURRENT]} == -* ]]; then compadd -- $opts; else (( ${#subcmds} )) && _describe 'command' subcmds || _files; fi", '}', '_agentsec "$@"', '');
  return out.join('\n');
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function fishCompletion(root: Command): string {
  const nodes = walk(root);
  const subPaths = nodes.filter((n) => n.path.length > 0).map((n) => `/${n.path.join('/')}`);
  const out: string[] = [
    `# fish completion for agentsec — ${HEADER}`,
    'function __agentsec_path',
    '    set -l path ""',
    '    for w in (commandline -opc)[2..-1]',
    '        switch "$path/$w"',
    `            case ${subPaths.map(fishQuote).join(' ')}`,
    '                set path "$path/$w"',
    '        end',
    '    end',
    '    echo "$path"',
    'end',
    'complete -c agentsec -f',
  ];
  for (const o of visibleOptions(root)) {
    const parts = ['complete -c agentsec'];
    if (o.short) parts.push(`-s ${o.short.replace(/^-/, '')}`);
    if (o.long) parts.push(`-l ${o.long.replace(/^--/, '')}`);
    if (o.required || o.optional) parts.push(takesFile(o) ? '-r -F' : '-r');
    parts.push(`-d ${fishQuote(o.description)}`);
    out.push(parts.join(' '));
  }
  for (const n of nodes) {
    const cond = `-n 'test (__agentsec_path) = "${n.path.length ? `/${n.path.join('/')}` : ''}"'`;
    for (const c of n.cmd.commands) out.push(`complete -c agentsec ${cond} -a ${fishQuote(c.name())} -d ${fishQuote(c.description())}`);
    if (argChoices(n.cmd).length > 0) out.push(`complete -c agentsec ${cond} -a ${fishQuote(argChoices(n.cmd).join(' '))}`);
    if (n.path.length === 0) continue;
    for (const o of visibleOptions(n.cmd)) {
      const parts = [`complete -c agentsec ${cond}`];
      if (o.short) parts.push(`-s ${o.short.replace(/^-/, '')}`);
      if (o.long) parts.push(`-l ${o.long.replace(/^--/, '')}`);
      if (o.argChoices && o.argChoices.length > 0) parts.push(`-x -a ${fishQuote(o.argChoices.join(' '))}`);
      else if (o.required || o.optional) parts.push(takesFile(o) ? '-r -F' : '-x');
      parts.push(`-d ${fishQuote(o.description)}`);
      out.push(parts.join(' '));
    }
  }
  out.push('');
  return out.join('\n');
}

function roff(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

function usageOf(n: Node): string {
  return ['agentsec', ...n.path, n.cmd.usage()].join(' ').replace(/\s+/g, ' ').trim();
}

/** The man page, built from the same tree as --help; deterministic (no date) so a drift test can compare it. */
export function manPage(root: Command, version: string): string {
  const out: string[] = [`.\\" ${HEADER}`, `.TH AGENTSEC 1 "" "agentsec ${version}" "User Commands"`, '.SH NAME', `agentsec \\- ${roff(root.description())}`];
  out.push('.SH SYNOPSIS', '.B agentsec', '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]');
  out.push(
    '.SH DESCRIPTION',
    roff('agentsec secures the servers that run AI agents (MCP servers, agent servers, memory and inference services). All state lives in one private home directory: a SQLite store and a master key. Data goes to stdout, messages to stderr; --json gives one JSON document with a schemaVersion field.'),
  );
  out.push('.SH GLOBAL OPTIONS');
  for (const o of visibleOptions(root)) out.push('.TP', `.B ${roff(o.flags)}`, roff(o.description));
  out.push('.SH COMMANDS');
  for (const n of walk(root)) {
    if (n.path.length === 0) continue;
    if (n.cmd.commands.length > 0) {
      out.push('.SS', roff(`agentsec ${n.path.join(' ')}`), roff(n.cmd.description()));
      continue;
    }
    out.push('.SS', roff(usageOf(n)), roff(n.cmd.description()));
    for (const o of visibleOptions(n.cmd)) {
      const choices = o.argChoices ? ` (one of: ${o.argChoices.join(', ')})` : '';
      const def = o.defaultValue !== undefined && typeof o.defaultValue !== 'boolean' ? ` (default: ${String(o.defaultValue)})` : '';
      out.push('.TP', `.B ${roff(o.flags)}`, roff(`${o.description}${choices}${def}`));
    }
    const ex = examplesOf(n.cmd);
    if (ex.length > 0) {
      out.push('.PP', 'Examples:', '.RS', '.nf');
      for (const e of ex) out.push(roff(`$ ${e}`));
      out.push('.fi', '.RE');
    }
  }
  out.push('.SH EXIT STATUS');
  for (const e of EXIT_CODE_DOCS) out.push('.TP', `.B ${e.code}`, roff(e.meaning));
  out.push(
    '.SH ENVIRONMENT',
    '.TP',
    '.B AGENTSEC_HOME',
    roff('the home directory when --home is not given.'),
    '.TP',
    '.B XDG_DATA_HOME',
    roff('the home is $XDG_DATA_HOME/agentsec when neither --home nor AGENTSEC_HOME is set (default ~/.local/share/agentsec).'),
    '.TP',
    '.B AGENTSEC_PASSPHRASE',
    roff('at init, derive the master key from this passphrase with argon2id instead of creating master.key; afterwards, needed by every command that uses the master key.'),
    '.TP',
    '.B NO_COLOR, FORCE_COLOR',
    roff('turn color off (any non-empty NO_COLOR) or force it on.'),
    '.TP',
    '.B AGENTSEC_DEBUG',
    roff('set to 1 to print stack traces with errors.'),
  );
  out.push(
    '.SH FILES',
    '.TP',
    '.I $AGENTSEC_HOME/agentsec.db',
    roff('the SQLite store (WAL mode), mode 0600.'),
    '.TP',
    '.I $AGENTSEC_HOME/master.key',
    roff('32 random bytes that encrypt recoverable secrets, mode 0600; or master.salt in passphrase mode.'),
    '.TP',
    '.I $AGENTSEC_HOME/config.yaml',
    roff('optional configuration, validated on load.'),
    '',
  );
  return out.join('\n');
}
