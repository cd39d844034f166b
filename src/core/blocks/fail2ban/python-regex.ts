/**
 * Python `re` syntax (what fail2ban filters are written in) to a JavaScript RegExp. Where the two differ in
 * spelling the pattern is rewritten: `(?P<n>…)` to `(?<n>…)`, `(?P=n)` to `\k<n>`, `\A`/`\Z` to `^`/`$`, `(?#…)`
 * dropped, `{,n}` to `{0,n}`, a leading `]` in a class escaped, leading global flags `(?i)` to RegExp flags.
 * What JavaScript (Node 20) cannot express the same way is refused, never approximated: scoped flags `(?i:…)`,
 * verbose `(?x)`, conditionals `(?(1)…)`, atomic groups and possessive quantifiers.
 */

export type Translated = { readonly ok: true; readonly source: string; readonly flags: string } | { readonly ok: false; readonly message: string };

const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Translates one Python pattern; the message of a refusal says what construct and why. */
export function translatePythonRegex(py: string): Translated {
  let out = '';
  let flags = '';
  let i = 0;
  let inClass = false;
  let atStart = true;
  const n = py.length;
  const fail = (message: string): Translated => ({ ok: false, message });
  while (i < n) {
    const c = py[i] as string;
    if (c === '\\') {
      if (i + 1 >= n) return fail('the pattern ends with a lone backslash');
      const e = py[i + 1] as string;
      if (!inClass && e === 'A') out += '^';
      else if (!inClass && e === 'Z') out += '$';
      else if (e === 'N' && py[i + 2] === '{') return fail('\\N{name} (a named Unicode character) has no JavaScript equivalent here');
      else out += c + e;
      i += 2;
      atStart = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      i++;
      if (py[i] === '^') {
        out += '^';
        i++;
      }
      // In Python a `]` right after `[` or `[^` is a literal; in JavaScript `[]` is an empty class.
      if (py[i] === ']') {
        out += '\\]';
        i++;
      }
      atStart = false;
      continue;
    }
    if (c === '(' && py[i + 1] === '?') {
      const rest = py.slice(i + 2);
      let m: RegExpExecArray | null;
      if ((m = /^P<([^>]*)>/.exec(rest))) {
        if (!GROUP_NAME.test(m[1] as string)) return fail(`group name '${m[1]}' is not a valid name`);
        out += `(?<${m[1]}>`;
        i += 2 + m[0].length;
      } else if ((m = /^P=([^)]*)\)/.exec(rest))) {
        if (!GROUP_NAME.test(m[1] as string)) return fail(`(?P=${m[1]}) names no valid group`);
        out += `\\k<${m[1]}>`;
        i += 2 + m[0].length;
      } else if (rest.startsWith('#')) {
        const end = py.indexOf(')', i);
        if (end < 0) return fail('an unterminated (?#comment)');
        i = end + 1;
        continue;
      } else if (/^(?::|=|!|<=|<!)/.test(rest)) {
        out += '(?';
        i += 2;
      } else if ((m = /^<([A-Za-z_]\w*)>/.exec(rest))) {
        out += `(?<${m[1]}>`;
        i += 2 + m[0].length;
      } else if ((m = /^([aiLmsux]+)\)/.exec(rest))) {
        if (!atStart) return fail(`global flags (?${m[1]}) must open the pattern; elsewhere they cannot be translated`);
        for (const f of m[1] as string) {
          if (f === 'x') return fail('verbose patterns (?x) are not supported: write the pattern without comments and spaces');
          if (f === 'L') return fail('locale-dependent matching (?L) has no JavaScript equivalent');
          if ((f === 'i' || f === 's' || f === 'm') && !flags.includes(f)) flags += f;
          // `a` and `u`: Python's ASCII or Unicode classes; JavaScript's \d \w \s are ASCII either way.
        }
        i += 2 + m[0].length;
        continue;
      } else if (/^[aiLmsux-]+:/.test(rest)) {
        return fail(`scoped flags (?${rest.slice(0, rest.indexOf(':'))}:…) are not supported by Node 20: put global flags at the start instead`);
      } else if (rest.startsWith('(')) {
        return fail('conditional groups (?(…)…) have no JavaScript equivalent');
      } else if (rest.startsWith('>')) {
        return fail('atomic groups (?>…) have no JavaScript equivalent');
      } else return fail(`unknown group syntax (?${rest.slice(0, 3)}`);
      atStart = false;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d*),(\d*)\}/.exec(py.slice(i)) ?? /^\{(\d+)\}/.exec(py.slice(i));
      if (m) {
        out += m[0].startsWith('{,') ? `{0${m[0].slice(1)}` : m[0];
        i += m[0].length;
        if (py[i] === '+') return fail('possessive quantifiers ({n,m}+) have no JavaScript equivalent');
        atStart = false;
        continue;
      }
    }
    if ((c === '*' || c === '+' || c === '?') && py[i + 1] === '+' && out.length > 0 && !out.endsWith('(')) {
      return fail(`possessive quantifiers (${c}+) have no JavaScript equivalent`);
    }
    out += c;
    i++;
    atStart = false;
  }
  if (inClass) return fail('an unterminated character class [');
  try {
    new RegExp(out, flags);
  } catch (err) {
    return fail((err as Error).message.replace(/^Invalid regular expression: /, '').replace(/\/.*\/[a-z]*: /, ''));
  }
  return { ok: true, source: out, flags };
}
