import type { Location, Position } from '../position.js';
import { upperSnake, type Setting } from '../setting.js';

/** One word of a command line, with where it is written. */
export interface ArgToken {
  readonly text: string;
  readonly at: Location;
}

/**
 * Flags that take no value (so the next word is not theirs): switches that turn something on or off. Every other
 * `--flag word` takes the word as its value (`--host 0.0.0.0`, `--log-level debug`).
 */
const BARE = /^(?:no-|disable-|enable-|allow-|skip-|without-|insecure|debug|reload|verbose|dev$|development$|trace$|anonymous|noauth$|auth$|public$|share$|listen$|api$|cors$|unsafe|trust-remote-code$|expose$)/;

/** Shells whose `-c` script is the real command line: `sh -c "uvicorn app:app --reload"`. */
const SHELL = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;

/**
 * Splits a command string as a POSIX shell would for the purpose of reading flags: whitespace separates words,
 * quotes group them (and are removed), a backslash escapes the next character. Positions are those of `base`
 * shifted by the word's offset when the string is one line, else the start of the string.
 */
export function splitCommand(text: string, locate: (offset: number) => Position): ArgToken[] {
  const out: ArgToken[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const start = i;
    let word = '';
    while (i < text.length && !/\s/.test(text[i] as string)) {
      const c = text[i] as string;
      if (c === "'" || c === '"') {
        const end = text.indexOf(c, i + 1);
        if (end < 0) {
          word += text.slice(i + 1);
          i = text.length;
          break;
        }
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (c === '\\' && i + 1 < text.length) {
        word += text[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    out.push({ text: word, at: locate(start) });
  }
  return out;
}

/** The words after `sh -c`, split again: the shell runs them as the command line. */
export function unwrapShell(tokens: readonly ArgToken[]): ArgToken[] {
  const c = tokens.findIndex((t) => t.text === '-c');
  if (c >= 1 && SHELL.test(tokens[0]?.text ?? '') && tokens[c + 1] !== undefined) {
    const script = tokens[c + 1] as ArgToken;
    return [...tokens.slice(0, c), ...splitCommand(script.text, () => script.at)];
  }
  return [...tokens];
}

/**
 * The long flags of a command line as settings: `--no-auth` is NO_AUTH=true, `--host 0.0.0.0` and
 * `--log-level=debug` are HOST=0.0.0.0 and LOG_LEVEL=debug, owned by `service` (a compose service, a container).
 * Single-dash flags are left alone: their meaning depends on the program.
 */
export function flagSettings(tokens: readonly ArgToken[], service: string): Setting[] {
  const words = unwrapShell(tokens);
  const out: Setting[] = [];
  for (let i = 0; i < words.length; i++) {
    const t = words[i] as ArgToken;
    const m = /^--([A-Za-z][A-Za-z0-9._-]*)(?:=([\s\S]*))?$/.exec(t.text);
    if (!m) continue;
    const flag = m[1] as string;
    let value = m[2];
    let valueAt: Location = t.at;
    if (value === undefined) {
      const next = words[i + 1];
      if (next !== undefined && !next.text.startsWith('-') && !BARE.test(flag.toLowerCase()) && !/^(?:&&|\|\||;|\|)$/.test(next.text)) {
        value = next.text;
        valueAt = next.at;
        i++;
      } else value = 'true';
    }
    const interpolated = value.includes('${');
    out.push({
      key: `--${flag}`,
      name: upperSnake(flag),
      path: upperSnake(flag),
      raw: value,
      value: interpolated ? undefined : value,
      interpolated,
      origin: interpolated ? { kind: 'mixed' } : { kind: 'literal' },
      defaults: [],
      at: t.at,
      valueAt,
      service,
      flag: true,
    });
  }
  return out;
}
