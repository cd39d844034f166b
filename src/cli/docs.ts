import type { Command, Option } from 'commander';
import { EXIT_CODE_DOCS } from '../core/errors.js';
import { examplesOf } from './command.js';
import { completerOf, isRepeatable, type Completer } from './completion-spec.js';
import { exampleLines } from './example-wrap.js';
import { PROJECT_URL } from '../core/about.js';

interface Node {
  readonly path: string[];
  readonly cmd: Command;
}

/** The documented tree: hidden commands (the completion helper) are left out. */
function walk(cmd: Command, path: string[] = []): Node[] {
  const nodes: Node[] = [{ path, cmd }];
  for (const sub of cmd.commands) if (!(sub as unknown as { _hidden?: boolean })._hidden) nodes.push(...walk(sub, [...path, sub.name()]));
  return nodes;
}

function visibleOptions(cmd: Command): Option[] {
  return cmd.options.filter((o) => !o.hidden);
}

const HEADER = 'generated from the command tree by `npm run docs`; do not edit';

/** One option as the completion scripts see it. */
interface OptSpec {
  readonly short?: string;
  readonly long?: string;
  readonly description: string;
  readonly takesValue: boolean;
  readonly completer: Completer;
  readonly repeatable: boolean;
}

/** One command path: its subcommands, its options (own, help, then the global ones) and its positional arguments. */
interface PathSpec {
  readonly path: string;
  readonly subs: ReadonlyArray<{ name: string; description: string }>;
  readonly options: readonly OptSpec[];
  readonly args: readonly Completer[];
  readonly variadic: boolean;
}

function optSpec(o: Option): OptSpec {
  const takesValue = o.required || o.optional;
  return {
    ...(o.short ? { short: o.short } : {}),
    ...(o.long ? { long: o.long } : {}),
    description: o.description,
    takesValue,
    completer: takesValue ? completerOf(o) : { kind: 'none' },
    repeatable: isRepeatable(o),
  };
}

/** The completion model of the whole tree, path by path ("" is the root, "/keys/issue" a leaf). */
function completionModel(root: Command): PathSpec[] {
  const globals = visibleOptions(root).filter((o) => o.long !== '--version').map(optSpec);
  const help: OptSpec = { short: '-h', long: '--help', description: 'show help for a command', takesValue: false, completer: { kind: 'none' }, repeatable: false };
  const rootNames = root.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
  const specs: PathSpec[] = [];
  const visit = (cmd: Command, path: string[]) => {
    const helper = cmd.createHelp();
    const subs = helper.visibleCommands(cmd);
    const own = visibleOptions(cmd).filter((o) => path.length > 0 || o.long === '--version').map(optSpec);
    let args = cmd.registeredArguments.map((a) => completerOf(a));
    // `help` completes what it can show: the root's commands and topics, or a group's commands.
    if (cmd.name() === 'help' && path.length === 1) args = [{ kind: 'values', values: [...rootNames.filter((n) => n !== 'help'), 'exit-codes'] }];
    specs.push({
      path: path.length ? `/${path.join('/')}` : '',
      subs: subs.map((c) => ({ name: c.name(), description: c.description() })),
      options: [...own, help, ...globals],
      args,
      variadic: cmd.registeredArguments.some((a) => a.variadic),
    });
    for (const sub of subs) {
      if (sub.commands.length === 0 && sub.name() === 'help' && path.length > 0) {
        // The implicit `GROUP help [command]` of commander: its argument is one of the group's commands.
        specs.push({ path: `/${[...path, 'help'].join('/')}`, subs: [], options: [help, ...globals], args: [{ kind: 'values', values: subs.filter((c) => c.name() !== 'help').map((c) => c.name()) }], variadic: false });
      } else visit(sub, [...path, sub.name()]);
    }
  };
  visit(root, []);
  return specs;
}

/** A completer as the shell functions read it: `=a,b,c` values, `@file`, `@dir`, `@dyn:SOURCE`, `-` free text. */
function encode(c: Completer): string {
  switch (c.kind) {
    case 'values':
      return `=${c.values.join(',')}`;
    case 'file':
      return '@file';
    case 'dir':
      return '@dir';
    case 'dynamic':
      return `@dyn:${c.source}`;
    default:
      return '-';
  }
}

/** Each flag of a path with its canonical name and what its value completes to ("!" when it takes none). */
function flagTable(model: readonly PathSpec[]): Array<{ key: string; canon: string; spec: string }> {
  const rows: Array<{ key: string; canon: string; spec: string }> = [];
  for (const p of model) {
    for (const o of p.options) {
      const canon = o.long ?? o.short ?? '';
      for (const f of [o.short, o.long]) if (f) rows.push({ key: `${p.path} ${f}`, canon, spec: o.takesValue ? encode(o.completer) : '!' });
    }
  }
  return rows;
}

function shQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

export function bashCompletion(root: Command): string {
  const model = completionModel(root);
  const out: string[] = [
    `# bash completion for agentsec — ${HEADER}`,
    '# Dynamic values (key ids, JWT kids, TOTP users, blocked values, lint rule ids) come from `agentsec __complete`,',
    '# which reads the home read-only, without the master key.',
    '',
    '# _agentsec_opt PATH FLAG: prints "CANONICAL SPEC" (SPEC "!" when FLAG takes no value); fails for an unknown flag.',
    '_agentsec_opt() {',
    '  case "$1 $2" in',
  ];
  for (const r of flagTable(model)) out.push(`    ${shQuote(r.key)}) echo ${shQuote(`${r.canon} ${r.spec}`)} ;;`);
  out.push('    *) return 1 ;;', '  esac', '}', '', '# _agentsec_node PATH: sets subs, opts (every flag), reps (repeatable ones), args (one spec per position), variadic.', '_agentsec_node() {', '  case "$1" in');
  for (const p of model) {
    const flags = p.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
    const reps = p.options.filter((o) => o.repeatable).map((o) => o.long ?? o.short);
    out.push(`    ${shQuote(p.path)}) subs=${shQuote(p.subs.map((c) => c.name).join(' '))}; opts=${shQuote(flags.join(' '))}; reps=${shQuote(` ${reps.join(' ')} `)}; args=${shQuote(p.args.map(encode).join(' '))}; variadic=${p.variadic ? 1 : 0} ;;`);
  }
  out.push(
    "    *) subs=''; opts=''; reps=' '; args=''; variadic=0 ;;",
    '  esac',
    '}',
    '',
    '# _agentsec_offer SPEC: adds the candidates of SPEC for "$cur" to COMPREPLY.',
    '_agentsec_offer() {',
    '  local values',
    "  local IFS=$'\\n'",
    '  case "$1" in',
    '    =*) values="${1#=}"; COMPREPLY+=( $(compgen -W "${values//,/$\'\\n\'}" -- "$cur") ) ;;',
    '    @file) compopt -o filenames 2>/dev/null; COMPREPLY+=( $(compgen -f -- "$cur") ) ;;',
    '    @dir) compopt -o filenames 2>/dev/null; COMPREPLY+=( $(compgen -d -- "$cur") ) ;;',
    '    @dyn:*) COMPREPLY+=( $(compgen -W "$("$cmd" "${home[@]}" __complete "${1#@dyn:}" 2>/dev/null | cut -f1)" -- "$cur") ) ;;',
    '  esac',
    '}',
    '',
    '_agentsec() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" cmd="${COMP_WORDS[0]}" path="" w i pending="" npos=0 seen=" " info subs opts reps args variadic o',
    '  local -a home=() specs=()',
    '  for ((i=1; i<COMP_CWORD; i++)); do',
    '    w="${COMP_WORDS[i]}"',
    '    [[ $w == = ]] && continue',
    '    if [[ -n $pending ]]; then',
    '      [[ $pending == --home ]] && home=(--home "$w")',
    '      pending=""',
    '      continue',
    '    fi',
    '    if [[ $w == -?* ]]; then',
    '      info=$(_agentsec_opt "$path" "${w%%=*}") || continue',
    '      seen+="${info%% *} "',
    '      if [[ $w == *=* ]]; then [[ $w == --home=* ]] && home=(--home "${w#--home=}"); continue; fi',
    '      [[ ${info#* } != "!" ]] && pending="$w"',
    '      continue',
    '    fi',
    '    _agentsec_node "$path"',
    '    if [[ " $subs " == *" $w "* ]]; then path="$path/$w"; npos=0; else npos=$((npos + 1)); fi',
    '  done',
    '  COMPREPLY=()',
    '  if [[ -n $pending ]]; then',
    '    info=$(_agentsec_opt "$path" "$pending")',
    '    _agentsec_offer "${info#* }"',
    '    return 0',
    '  fi',
    '  _agentsec_node "$path"',
    '  if [[ $cur == -* ]]; then',
    '    local avail=""',
    '    for o in $opts; do',
    '      info=$(_agentsec_opt "$path" "$o")',
    '      [[ $seen == *" ${info%% *} "* && $reps != *" ${info%% *} "* ]] && continue',
    '      avail+="$o "',
    '    done',
    '    COMPREPLY=( $(compgen -W "$avail" -- "$cur") )',
    '    return 0',
    '  fi',
    '  [[ -n $subs ]] && COMPREPLY=( $(compgen -W "$subs" -- "$cur") )',
    '  specs=($args)',
    '  if (( ${#specs[@]} > 0 )); then',
    '    local spec="${specs[npos]}"',
    '    [[ -z $spec && $variadic == 1 ]] && spec="${specs[${#specs[@]}-1]}"',
    '    [[ -n $spec ]] && _agentsec_offer "$spec"',
    '  fi',
    '  return 0',
    '}',
    'complete -F _agentsec agentsec',
    '',
  );
  return out.join('\n');
}

function zshQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** `name:description` for _describe, the name's colons escaped. */
function zshItem(name: string, description: string): string {
  return zshQuote(`${name.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}:${description}`);
}

export function zshCompletion(root: Command): string {
  const model = completionModel(root);
  const out: string[] = [
    '#compdef agentsec',
    `# zsh completion for agentsec — ${HEADER}`,
    '# Dynamic values come from `agentsec __complete`, which reads the home read-only, without the master key.',
    '',
    '_agentsec_opt() {',
    '  case "$1 $2" in',
  ];
  for (const r of flagTable(model)) out.push(`    ${zshQuote(r.key)}) print -r -- ${zshQuote(`${r.canon} ${r.spec}`)} ;;`);
  out.push('    *) return 1 ;;', '  esac', '}', '', '_agentsec_node() {', '  case "$1" in');
  for (const p of model) {
    const subs = p.subs.map((c) => zshItem(c.name, c.description));
    const opts = p.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)).map((f) => zshItem(f, o.description)));
    const reps = p.options.filter((o) => o.repeatable).map((o) => o.long ?? o.short ?? '');
    out.push(`    ${zshQuote(p.path)}) subs=(${subs.join(' ')}); opts=(${opts.join(' ')}); reps=(${reps.map(zshQuote).join(' ')}); args=(${p.args.map((a) => zshQuote(encode(a))).join(' ')}); variadic=${p.variadic ? 1 : 0} ;;`);
  }
  out.push(
    '    *) subs=(); opts=(); reps=(); args=(); variadic=0 ;;',
    '  esac',
    '}',
    '',
    '_agentsec_offer() {',
    '  local -a vals cand',
    '  case "$1" in',
    // A bare =word is an equals expansion (the path of a command) in zsh, even as a case pattern: quote it.
    "    '='*) vals=(${(s:,:)${1#=}}); _describe -t values 'value' vals ;;",
    '    @file) _files ;;',
    '    @dir) _files -/ ;;',
    '    @dyn:*)',
    '      cand=(${(f)"$("$cmd" "${home[@]}" __complete "${1#@dyn:}" 2>/dev/null)"})',
    "      cand=(${cand//:/\\\\:}); cand=(${cand/$'\\t'/:})",
    "      (( ${#cand} )) && _describe -t values 'value' cand ;;",
    '  esac',
    '}',
    '',
    '_agentsec() {',
    // Not `path`: zsh ties that name to PATH.
    '  local cmd="${words[1]}" cpath="" w i pending="" npos=0 info name variadic spec o',
    '  local -a home seen subs opts reps args avail',
    '  for ((i=2; i<CURRENT; i++)); do',
    '    w="${words[i]}"',
    '    if [[ -n $pending ]]; then',
    '      [[ $pending == --home ]] && home=(--home "$w")',
    '      pending=""',
    '      continue',
    '    fi',
    '    if [[ $w == -?* ]]; then',
    '      info=$(_agentsec_opt "$cpath" "${w%%=*}") || continue',
    '      seen+=("${info%% *}")',
    '      if [[ $w == *=* ]]; then [[ $w == --home=* ]] && home=(--home "${w#--home=}"); continue; fi',
    '      [[ ${info#* } != "!" ]] && pending="$w"',
    '      continue',
    '    fi',
    '    _agentsec_node "$cpath"',
    '    if (( ${subs[(I)${(q)w}:*]} )); then cpath="$cpath/$w"; npos=0; else npos=$((npos + 1)); fi',
    '  done',
    '  if [[ -n $pending ]]; then',
    '    info=$(_agentsec_opt "$cpath" "$pending")',
    '    _agentsec_offer "${info#* }"',
    '    return',
    '  fi',
    '  _agentsec_node "$cpath"',
    '  if [[ ${words[CURRENT]} == -* ]]; then',
    '    for o in "${opts[@]}"; do',
    '      name="${o%%:*}"',
    '      info=$(_agentsec_opt "$cpath" "$name")',
    '      (( ${seen[(Ie)${info%% *}]} )) && ! (( ${reps[(Ie)${info%% *}]} )) && continue',
    '      avail+=("$o")',
    '    done',
    "    _describe -t options 'option' avail",
    '    return',
    '  fi',
    "  (( ${#subs} )) && _describe -t commands 'command' subs",
    '  if (( ${#args} )); then',
    '    spec="${args[npos+1]}"',
    '    [[ -z $spec && $variadic == 1 ]] && spec="${args[-1]}"',
    '    [[ -n $spec ]] && _agentsec_offer "$spec"',
    '  fi',
    '}',
    '',
    'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _agentsec "$@"; else compdef _agentsec agentsec; fi',
    '',
  );
  return out.join('\n');
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The `complete` arguments that offer a value: fixed values, files, directories or values from the store. */
function fishValue(c: Completer): string | undefined {
  switch (c.kind) {
    case 'values':
      return `-a ${fishQuote(c.values.join(' '))}`;
    case 'file':
      return '-F';
    case 'dir':
      return "-a '(__fish_complete_directories (commandline -ct))'";
    case 'dynamic':
      return `-a ${fishQuote(`(__agentsec_dyn ${c.source})`)}`;
    default:
      return undefined;
  }
}

/**
 * fish: option names are offered under "not given yet" conditions, and option values by entries of their own
 * ("the word before the cursor is --role of keys issue"), not by fish's option-parameter logic, which would be
 * switched off by the very condition that hides an option already given.
 */
export function fishCompletion(root: Command): string {
  const model = completionModel(root);
  const out: string[] = [
    `# fish completion for agentsec — ${HEADER}`,
    '# Dynamic values come from `agentsec __complete`, which reads the home read-only, without the master key.',
    '',
    '# __agentsec_opt PATH FLAG: prints "CANONICAL SPEC" (SPEC "!" when FLAG takes no value); fails for an unknown flag.',
    'function __agentsec_opt',
    '    switch "$argv[1] $argv[2]"',
  ];
  for (const r of flagTable(model)) out.push(`        case ${fishQuote(r.key)}`, `            echo ${fishQuote(`${r.canon} ${r.spec}`)}`);
  out.push("        case '*'", '            return 1', '    end', 'end', '');
  const subsOf = model.map((p) => `        case ${fishQuote(p.path)}\n            echo ${p.subs.map((c) => fishQuote(c.name)).join(' ') || "''"}`);
  out.push('function __agentsec_subs', '    switch "$argv[1]"', ...subsOf, '    end', 'end', '');
  out.push(
    '# Walks the words before the cursor (once per command line): the command path, the canonical flags given, the',
    '# --home given, and the option whose value is being typed.',
    'function __agentsec_scan',
    '    set -l line (commandline -pc)',
    '    test "$line" = "$__agentsec_line"; and return 0',
    '    set -g __agentsec_line $line',
    '    set -g __agentsec_path ""',
    '    set -g __agentsec_seen',
    '    set -g __agentsec_home',
    '    set -g __agentsec_pending ""',
    '    for w in (commandline -opc)[2..-1]',
    '        if test -n "$__agentsec_pending"',
    '            test "$__agentsec_pending" = --home; and set -g __agentsec_home --home $w',
    '            set -g __agentsec_pending ""',
    '            continue',
    '        end',
    "        if string match -qr -- '^-.' $w",
    "            set -l flag (string split -m1 -- = $w)[1]",
    '            set -l info (__agentsec_opt "$__agentsec_path" $flag); or continue',
    "            set -l parts (string split -m1 ' ' -- $info)",
    '            set -ga __agentsec_seen $parts[1]',
    "            if string match -q -- '*=*' $w",
    "                string match -q -- '--home=*' $w; and set -g __agentsec_home --home (string replace -- --home= '' $w)",
    '                continue',
    '            end',
    "            test \"$parts[2]\" != '!'; and set -g __agentsec_pending $parts[1]",
    '            continue',
    '        end',
    "        if contains -- $w (string split ' ' -- (__agentsec_subs \"$__agentsec_path\"))",
    '            set -g __agentsec_path "$__agentsec_path/$w"',
    '        end',
    '    end',
    'end',
    '',
    '# At command PATH, not in the middle of an option value.',
    'function __agentsec_at',
    '    __agentsec_scan',
    '    test "$__agentsec_path" = "$argv[1]" -a -z "$__agentsec_pending"',
    'end',
    '',
    '# At command PATH, typing the value of option CANONICAL.',
    'function __agentsec_value_for',
    '    __agentsec_scan',
    '    test "$__agentsec_path" = "$argv[1]" -a "$__agentsec_pending" = "$argv[2]"',
    'end',
    '',
    '# True when the option (canonical name) has not been given yet, or may be repeated.',
    'function __agentsec_unseen',
    '    test "$argv[2]" = 1; and return 0',
    '    not contains -- $argv[1] $__agentsec_seen',
    'end',
    '',
    'function __agentsec_dyn',
    '    __agentsec_scan',
    '    set -l cmd (commandline -opc)[1]',
    '    $cmd $__agentsec_home __complete $argv[1] 2>/dev/null',
    'end',
    '',
    'complete -c agentsec -f',
  );
  for (const p of model) {
    const at = `__agentsec_at ${fishQuote(p.path)}`;
    for (const c of p.subs) out.push(`complete -c agentsec -n ${fishQuote(at)} -a ${fishQuote(c.name)} -d ${fishQuote(c.description)}`);
    for (const o of p.options) {
      const canon = o.long ?? o.short ?? '';
      const parts = [`complete -c agentsec -n ${fishQuote(`${at}; and __agentsec_unseen ${canon} ${o.repeatable ? 1 : 0}`)}`];
      if (o.short) parts.push(`-s ${o.short.replace(/^-/, '')}`);
      if (o.long) parts.push(`-l ${o.long.replace(/^--/, '')}`);
      parts.push(`-d ${fishQuote(o.description)}`);
      out.push(parts.join(' '));
      const value = o.takesValue ? fishValue(o.completer) : undefined;
      if (value) out.push(`complete -c agentsec -n ${fishQuote(`__agentsec_value_for ${fishQuote(p.path)} ${canon}`)} ${value}`);
    }
    // Positional arguments: the first one's completer.
    const arg = p.args[0] ? fishValue(p.args[0]) : undefined;
    if (arg) out.push(`complete -c agentsec -n ${fishQuote(at)} ${arg}`);
  }
  out.push('');
  return out.join('\n');
}

/** roff text, in ASCII: man renders on terminals and printers that know no Unicode punctuation. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/…/g, '...')
    .replace(/—/g, '\\(em')
    .replace(/–/g, '\\(en')
    .replace(/≥/g, '>=')
    .replace(/→/g, '->')
    .replace(/×/g, 'x');
}

function manExamples(lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  // man indents the text 7 columns: 72 more keeps every example line within an 80-column terminal.
  return ['.PP', 'Examples:', '.nf', ...lines.flatMap((e) => exampleLines(e, 72).map(roff)), '.fi'];
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
  out.push(...manExamples(examplesOf(root)));
  out.push('.SH GLOBAL OPTIONS');
  for (const o of visibleOptions(root)) out.push('.TP', `.B ${roff(o.flags)}`, roff(o.description));
  out.push('.SH COMMANDS');
  for (const n of walk(root)) {
    if (n.path.length === 0) continue;
    if (n.cmd.commands.length > 0) {
      out.push('.SS', roff(`agentsec ${n.path.join(' ')}`), roff(n.cmd.description()), ...manExamples(examplesOf(n.cmd)));
      continue;
    }
    out.push('.SS', roff(usageOf(n)), roff(n.cmd.description()));
    for (const o of visibleOptions(n.cmd)) {
      const choices = o.argChoices ? ` (one of: ${o.argChoices.join(', ')})` : '';
      const def = o.defaultValue !== undefined && typeof o.defaultValue !== 'boolean' ? ` (default: ${String(o.defaultValue)})` : '';
      out.push('.TP', `.B ${roff(o.flags)}`, roff(`${o.description}${choices}${def}`));
    }
    out.push(...manExamples(examplesOf(n.cmd)));
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
    '.B AGENTSEC_API_KEY',
    roff('the API key for keys verify when neither --key-file nor stdin gives one (never pass a key on the command line).'),
    '.TP',
    '.B AGENTSEC_JWT',
    roff('the token for jwt verify, jwt decode and jwt refresh when --token-file is not given.'),
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
    '.I $AGENTSEC_HOME/audit\\-keys/',
    roff('the audit chain signing key of the current epoch (epoch-N.key, Ed25519, mode 0600); each is destroyed once its epoch is sealed.'),
    '.TP',
    '.I $AGENTSEC_HOME/config.yaml',
    roff('optional configuration, validated on load.'),
    '.SH SEE ALSO',
    roff('sqlite3(1), crontab(5), systemd.service(5), systemd.timer(5), nft(8), iptables(8), ipset(8), fail2ban-client(1).'),
    '.PP',
    roff(`The README (an overview), docs/ (the reference of each command group, docs/audit-ecs.md for SIEMs) and the integrations (GitHub Action, pre-commit, GitLab CI, systemd units, container image): ${PROJECT_URL}`),
    '',
  );
  return out.join('\n');
}
