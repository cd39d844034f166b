import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translatePythonRegex } from '../../../../src/core/blocks/fail2ban/python-regex.js';

test('Python regex syntax is rewritten where JavaScript spells it differently', () => {
  const cases: Array<[string, string, string]> = [
    ['^(?P<user>\\w+) (?P=user)$', '^(?<user>\\w+) \\k<user>$', ''],
    ['\\Afoo\\Z', '^foo$', ''],
    ['a(?#a comment)b', 'ab', ''],
    ['x{,3}y{2,}z{4}', 'x{0,3}y{2,}z{4}', ''],
    ['[]a][^]b]', '[\\]a][^\\]b]', ''],
    ['[[x]', '[\\[x]', ''],
    ['(?i)^login failed', '^login failed', 'i'],
    ['(?is)^a.b', '^a.b', 'is'],
    ['(?:a|b)(?=c)(?!d)(?<=e)(?<!f)', '(?:a|b)(?=c)(?!d)(?<=e)(?<!f)', ''],
    ['[^\\"]*"', '[^\\"]*"', ''],
  ];
  for (const [py, js, flags] of cases) assert.deepEqual(translatePythonRegex(py), { ok: true, source: js, flags }, py);
  const named = translatePythonRegex('(?P<_sep>[-/])\\d+(?P=_sep)');
  assert.ok(named.ok && new RegExp(named.source).test('/12/'));
});

test('constructs JavaScript cannot express the same way are refused, with what and why', () => {
  const refused: Array<[string, RegExp]> = [
    ['^a(?i)b', /global flags \(\?i\) must open the pattern/],
    ['(?i:a)b', /scoped flags \(\?i:…\) are not supported by Node 20/],
    ['(?x) a b', /verbose patterns/],
    ['(a)?(?(1)b|c)', /conditional groups/],
    ['(?>ab)', /atomic groups/],
    ['a++', /possessive quantifiers/],
    ['a{2}+', /possessive quantifiers/],
    ['(?P<1bad>x)', /group name '1bad' is not a valid name/],
    ['[abc', /unterminated character class/],
    ['a\\', /lone backslash/],
    ['(unclosed', /Unterminated group|unterminated|Unmatched/i],
    ['\\N{DIGIT ONE}', /named Unicode character/],
  ];
  for (const [py, re] of refused) {
    const r = translatePythonRegex(py);
    assert.equal(r.ok, false, py);
    assert.match((r as { message: string }).message, re, py);
    assert.ok(!(r as { message: string }).message.includes('\n'), 'one line');
  }
});
