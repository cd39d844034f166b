import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compileDatePattern } from '../../../../src/core/blocks/fail2ban/date-pattern.js';
import { compileFail2banFilter } from '../../../../src/core/blocks/fail2ban/filter.js';
import { AgentsecError } from '../../../../src/core/errors.js';

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const files = (m: Record<string, string>) => (p: string) => m[p];
const compile = (m: Record<string, string>, path = '/f/filter.d/app.conf') => compileFail2banFilter(path, files(m), 'app.conf', () => NOW);

test('includes before/after and .local, [Init] and [DEFAULT] values, %(name)s and nested <tag> substitution', () => {
  const f = compile({
    '/f/filter.d/common.conf': '[DEFAULT]\n_daemon = \\S*\n__prefix = (?:%(_daemon)s\\[\\d+\\]: )?\n',
    '/f/filter.d/app.conf': [
      '[INCLUDES]',
      'before = common.conf',
      'after = app.extra   ; a missing after-file is skipped',
      '[Definition]',
      'mode = normal',
      'rx-normal = ^\\s*<__prefix>auth failed for \\S+ from <HOST>$',
      'rx-aggressive = %(rx-normal)s',
      '                ^\\s*<__prefix>probe from <ADDR>$',
      '# a comment line',
      'failregex = <rx-<mode>>',
      'ignoreregex = from 192\\.0\\.2\\.',
      'datepattern = {^LN-BEG}',
      '[Init]',
      'mode = aggressive',
    ].join('\n'),
    '/f/filter.d/app.local': '[Definition]\nignoreregex = %(known/ignoreregex)s\n              from 198\\.51\\.100\\.99\n',
  });
  assert.equal(f.failregex.length, 2, 'the [Init] mode chose the aggressive list, split after substitution');
  assert.equal(f.ignoreregex.length, 2);
  const k = (l: string) => f.classify(l);
  assert.deepEqual(k('2026-12-02 01:59:00 app[12]: auth failed for bob from 203.0.113.5'), { kind: 'failure', ip: '203.0.113.5', failure: 'auth', at: new Date(2026, 11, 2, 1, 59, 0).getTime() });
  assert.equal((k('2026-12-02 01:59:00 probe from [2001:db8::7]') as { ip: string }).ip, '2001:db8::7');
  assert.equal(k('2026-12-02 01:59:00 auth failed for bob from 192.0.2.5').kind, 'neutral', 'ignoreregex');
  assert.equal(k('2026-12-02 01:59:00 auth failed for bob from 198.51.100.99').kind, 'neutral', 'ignoreregex from the .local');
  // <HOST> matches a host name as under fail2ban, but it is never resolved: unrecognised.
  assert.equal(k('2026-12-02 01:59:00 auth failed for bob from evil.example.com').kind, 'unrecognised');
  assert.equal(k('2026-12-02 01:59:00 auth failed for bob from 999.1.1.1').kind, 'unrecognised');
  assert.equal(k('2026-12-02 01:59:00 all is well').kind, 'neutral');
  assert.equal(compile({ '/f/filter.d/app.conf': '[Definition]\nfailregex = ^x <HOST>$\ndatepattern = {^LN-BEG}\n' }).classify('no date x 1.2.3.4').kind, 'unrecognised', 'no date before any: cannot be placed');
});

test('filter errors are one line naming file:line', () => {
  const err = (m: Record<string, string>): string => {
    try {
      compile(m);
    } catch (e) {
      assert.ok(e instanceof AgentsecError);
      assert.ok(!e.message.includes('\n'), e.message);
      return e.message;
    }
    assert.fail('no error');
  };
  const p = '/f/filter.d/app.conf';
  assert.equal(err({ [p]: '[Definition]\nfailregex = ^a\n  ^(?P<x>b(?i)c <HOST>\n' }), `${p}:3: failregex: global flags (?i) must open the pattern; elsewhere they cannot be translated`);
  assert.equal(err({ [p]: '[Definition]\nfailregex = ^(unclosed <HOST>\n' }), `${p}:2: failregex: Unterminated group`);
  assert.equal(err({ [p]: '[Definition]\nthis line is not a key\n' }), `${p}:2: cannot read this line (expected [section], key = value, or an indented continuation)`);
  assert.equal(err({ [p]: 'failregex = x\n' }), `${p}:1: a key before any [section]`);
  assert.equal(err({ [p]: '[Definition]\nfailregex = %(nothing)s <HOST>\n' }), `${p}:2: %(nothing)s refers to nothing defined`);
  assert.equal(err({ [p]: '[Definition]\nfailregex = ^x <HOST>\ndatepattern = %%Y %%Q\n' }), `${p}:3: datepattern directive %Q is not supported`);
  assert.equal(err({ [p]: '[Definition]\nfailregex = ^x <HOST>\n<SKIPLINES>\n' }), `${p}:3: cannot read this line (expected [section], key = value, or an indented continuation)`);
  assert.equal(err({ [p]: '[Definition]\nfailregex = ^x <HOST><SKIPLINES>\n' }), `${p}:2: failregex: <SKIPLINES> (multi-line matching) is not supported`);
  assert.equal(err({ [p]: '[Definition]\nfailregex =\n' }), `${p}: no failregex in [Definition]`);
  assert.equal(err({ [p]: '[Definition]\na = <b>\nb = <a>\nfailregex = <a>\n' }), `${p}:4: tags refer to each other in a loop`);
  assert.equal(err({}), `${p}: no such filter file`);
});

test('datepattern: custom strptime patterns, {^LN-BEG}, epoch, zones; the date is cut out of the line', () => {
  const d = compileDatePattern('"timestamp":\\s*"%Y-%m-%dT%H:%M:%S(?:\\.%f)?%z"');
  assert.deepEqual(d.find('{"timestamp": "2026-12-02T01:02:03.250Z", "x": 1}', NOW), { at: Date.UTC(2026, 11, 2, 1, 2, 3, 250), rest: '{, "x": 1}' });
  const clf = compileDatePattern(undefined);
  assert.deepEqual(clf.find('1.2.3.4 - - [02/Dec/2026:01:02:03 +0100] "GET /"', NOW), { at: Date.UTC(2026, 11, 2, 0, 2, 3), rest: '1.2.3.4 - - [] "GET /"' });
  const lnbeg = compileDatePattern('{^LN-BEG}');
  assert.equal(lnbeg.find('2026/12/02 01:02:03 [error] 1#1: x', NOW)?.rest, ' [error] 1#1: x');
  assert.equal(lnbeg.find('x 2026/12/02 01:02:03 [error]', NOW), undefined, 'anchored at the line start');
  // A syslog date has no year: this year, or last year when that would put it ahead of now.
  assert.equal(compileDatePattern('{^LN-BEG}%b %d %H:%M:%S').find('Dec 31 23:00:00 host x', NOW)?.at, new Date(2025, 11, 31, 23).getTime());
  assert.equal(compileDatePattern('EPOCH').find('1796000000.500 login failed', NOW)?.at, 1796000000500);
  assert.equal(compileDatePattern('{NONE}').none, true);
  assert.throws(() => compileDatePattern('^<\\d+>{DATE}'), /\{DATE\} inside a pattern is not supported/);
});

const STOCK = '/etc/fail2ban/filter.d';
const stockNote = existsSync(`${STOCK}/nginx-http-auth.conf`) ? undefined : 'the stock fail2ban filters (Debian fail2ban) are not installed';

test('the stock nginx-http-auth and nginx-limit-req filters compile and read nginx error-log lines', { skip: stockNote }, () => {
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  const auth = compileFail2banFilter(`${STOCK}/nginx-http-auth.conf`, read, 'nginx-http-auth.conf', () => NOW);
  const limit = compileFail2banFilter(`${STOCK}/nginx-limit-req.conf`, read, 'nginx-limit-req.conf', () => NOW);
  const a = '2026/12/02 01:59:00 [error] 812#812: *31 user "admin" was not found in "/etc/nginx/.htpasswd", client: 203.0.113.5, server: mcp.example, request: "GET /admin HTTP/1.1", host: "mcp.example"';
  assert.equal((auth.classify(a) as { ip: string }).ip, '203.0.113.5');
  const pw = '2026/12/02 01:59:00 [error] 812#812: *32 user "bob": password mismatch, client: 2001:db8::5, server: mcp.example, request: "POST /login HTTP/2.0", host: "mcp.example"';
  assert.equal((auth.classify(pw) as { ip: string }).ip, '2001:db8::5');
  const l = '2026/12/02 01:59:01 [error] 812#812: *40 limiting requests, excess: 10.500 by zone "api", client: 198.51.100.8, server: mcp.example, request: "POST /v1/chat HTTP/1.1", host: "mcp.example"';
  assert.equal((limit.classify(l) as { ip: string }).ip, '198.51.100.8');
  assert.equal(auth.classify(l).kind, 'neutral');
});
