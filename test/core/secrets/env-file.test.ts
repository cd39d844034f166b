import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EnvSyntaxError,
  entriesOf,
  getValue,
  insertValue,
  isValidName,
  parseEnv,
  removeKey,
  serializeEnv,
  setValue,
} from '../../../src/core/secrets/env-file.js';

const AWKWARD: Record<string, string> = {
  empty: '',
  'only newline': '\n',
  'comments and blanks': '# top\n\n   # indented comment\n\t\nA=1\n\n',
  'no trailing newline': 'A=1\nB=2',
  crlf: 'A=1\r\nB="two words"\r\n# c\r\n',
  'mixed eol': 'A=1\r\nB=2\nC=3\r\n',
  'equals in values': 'URL=postgres://u:p@h/db?sslmode=require&a=b\nB64=abc==\n',
  quotes: `D="double \\"escaped\\" \\n"\nS='single # not a comment'\nB=\`back\`\n`,
  'inline comments': 'A=1 # comment\nB= # only comment\nC=x#not-comment\n',
  'duplicate keys': 'A=1\nA=2\nA=3\n',
  'export prefix': 'export A=1\nexport  B="x"\n  export C=3\n',
  spaces: 'A = 1\n  B=2  \nC=  3\n',
  'multi-line quoted': 'KEY="line1\nline2\n"\nNEXT=1\n',
  bom: '\uFEFFA=1\n',
  'empty values': 'A=\nB=""\nC=\'\'\n',
  unicode: 'GREETING="héllo wörld ✓"\n',
  'bare names (docker pass-through)': 'HOME\nexport PATH\nA=1\n',
};

describe('env-file: round trip', () => {
  for (const [name, text] of Object.entries(AWKWARD)) {
    it(`keeps ${name} byte for byte`, () => {
      assert.equal(serializeEnv(parseEnv(text)), text);
    });
  }
});

describe('env-file: values', () => {
  it('decodes quoting styles, inline comments and = in values', () => {
    const doc = parseEnv(`${AWKWARD['quotes']}${AWKWARD['inline comments']}${AWKWARD['equals in values']}`);
    assert.equal(getValue(doc, 'D'), 'double "escaped" \n');
    assert.equal(getValue(doc, 'S'), 'single # not a comment');
    assert.equal(getValue(parseEnv(AWKWARD['quotes'] as string), 'B'), 'back');
    assert.equal(getValue(doc, 'B'), '');
    assert.equal(getValue(doc, 'A'), '1');
    assert.equal(getValue(doc, 'C'), 'x#not-comment');
    assert.equal(getValue(doc, 'URL'), 'postgres://u:p@h/db?sslmode=require&a=b');
    assert.equal(getValue(doc, 'B64'), 'abc==');
  });
  it('treats a bare name as pass-through, not an entry', () => {
    const doc = parseEnv('TOKEN\nA=1\n');
    assert.equal(getValue(doc, 'TOKEN'), undefined);
    assert.equal(doc.lines[0]?.kind, 'bare');
  });
  it('takes the last duplicate as the effective value', () => {
    assert.equal(getValue(parseEnv(AWKWARD['duplicate keys'] as string), 'A'), '3');
  });
  it('reads export-prefixed and BOM-prefixed entries', () => {
    const doc = parseEnv('\uFEFFexport A=1\n');
    assert.equal(getValue(doc, 'A'), '1');
    assert.equal(entriesOf(doc, 'A')[0]?.exported, true);
  });
  it('reads a multi-line double-quoted value', () => {
    assert.equal(getValue(parseEnv(AWKWARD['multi-line quoted'] as string), 'KEY'), 'line1\nline2\n');
  });
});

describe('env-file: edits keep everything else', () => {
  it('changes only the value, keeping quotes, export, inline comment and CRLF', () => {
    const doc = parseEnv('# c\r\nexport A="old" # keep\r\nB=x\r\n');
    setValue(doc, 'A', 'NEW');
    assert.equal(serializeEnv(doc), '# c\r\nexport A="NEW" # keep\r\nB=x\r\n');
  });
  it('keeps single quotes, and joins the value to = (a shell runs `A = v` as the command A)', () => {
    const doc = parseEnv("A = 'old'\n  export B =  x\n");
    setValue(doc, 'A', 'v2');
    setValue(doc, 'B', 'v3');
    assert.equal(serializeEnv(doc), "A='v2'\n  export B=v3\n");
  });
  it('updates every duplicate', () => {
    const doc = parseEnv('A=1\nB=2\nA="3"\n');
    assert.equal(setValue(doc, 'A', 'z'), 2);
    assert.equal(serializeEnv(doc), 'A=z\nB=2\nA="z"\n');
  });
  it('does not let an empty value swallow its inline comment, nor leave a space after = (a shell would run the value)', () => {
    const doc = parseEnv("A= # comment\nB=#tail\nC='x'# c\n");
    setValue(doc, 'A', 'v');
    setValue(doc, 'B', 'w');
    setValue(doc, 'C', 'y');
    assert.equal(serializeEnv(doc), "A=v # comment\nB=w #tail\nC='y' # c\n");
    assert.equal(getValue(parseEnv(serializeEnv(doc)), 'A'), 'v');
  });
  it('switches to single quotes, else double quotes, when the style cannot hold the value safely', () => {
    const doc = parseEnv('A=plain\nB=\'x\'\nC=`x`\nD=x\n');
    setValue(doc, 'A', 'has space');
    setValue(doc, 'B', "it's");
    setValue(doc, 'C', 'abc');
    setValue(doc, 'D', "it's $HOME and `id`");
    const text = serializeEnv(doc);
    assert.equal(text, 'A=\'has space\'\nB="it\'s"\nC=\'abc\'\nD="it\'s \\$HOME and \\`id\\`"\n');
    assert.equal(getValue(parseEnv(text), 'A'), 'has space');
    assert.equal(getValue(parseEnv(text), 'B'), "it's");
    assert.equal(getValue(parseEnv(text), 'D'), "it's $HOME and `id`");
  });
  it('replaces a multi-line value with a one-line one', () => {
    const doc = parseEnv('K="a\nb"\nN=1\n');
    setValue(doc, 'K', 'c');
    assert.equal(serializeEnv(doc), 'K="c"\nN=1\n');
  });
  it('inserts after an anchor in its style and keeps a missing final newline', () => {
    const doc = parseEnv('export A="1"\r\nB=2');
    insertValue(doc, 'A_PREVIOUS', 'old', 'A');
    insertValue(doc, 'C', 'new');
    assert.equal(serializeEnv(doc), 'export A="1"\r\nexport A_PREVIOUS="old"\r\nB=2\r\nC=new');
  });
  it('appends before trailing blank lines and into an empty file', () => {
    const doc = parseEnv('A=1\n\n\n');
    insertValue(doc, 'B', '2');
    assert.equal(serializeEnv(doc), 'A=1\nB=2\n\n\n');
    const empty = parseEnv('');
    insertValue(empty, 'X', 'y');
    assert.equal(serializeEnv(empty), 'X=y\n');
  });
  it('removes every occurrence and keeps the no-final-newline style', () => {
    const doc = parseEnv('A=1\nP=x\nB=2\nP=y');
    assert.equal(removeKey(doc, 'P'), 2);
    assert.equal(serializeEnv(doc), 'A=1\nB=2');
  });
});

describe('env-file: syntax errors name the line', () => {
  const bad: Array<[string, number]> = [
    ['A=1\nnot an entry\n', 2],
    ['A=1\nB: 2\n', 2],
    ['A=1\n\n1BAD=x\n', 3],
    ['=value\n', 1],
    ['A="unterminated\nB=2\n', 1],
    ["A='x' trailing\n", 1],
    ['A=1\r\nB C=2\r\n', 2],
  ];
  for (const [text, line] of bad) {
    it(`rejects ${JSON.stringify(text)} at line ${line}`, () => {
      assert.throws(
        () => parseEnv(text),
        (err: unknown) => err instanceof EnvSyntaxError && err.line === line && err.message.startsWith(`line ${line}:`),
      );
    });
  }
});

describe('env-file: names', () => {
  it('accepts portable names only', () => {
    for (const ok of ['A', '_X', 'JWT_SECRET', 'a1']) assert.ok(isValidName(ok), ok);
    for (const bad of ['', '1A', 'A-B', 'A.B', 'A B', 'A=B', 'É']) assert.ok(!isValidName(bad), bad);
  });
});
