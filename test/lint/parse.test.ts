import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatByName, isExampleEnv } from '../../src/lint/formats.js';
import { parsePortShort } from '../../src/lint/parse/compose.js';
import { keyValuePairs, parseDockerfile } from '../../src/lint/parse/dockerfile.js';
import { flagSettings, splitCommand, type ArgToken } from '../../src/lint/parse/argv.js';
import { parseCaddyfile, walkCaddy, type CaddyDirective } from '../../src/lint/parse/caddy.js';
import { parseEnv } from '../../src/lint/parse/env.js';
import { interpolate } from '../../src/lint/parse/interpolate.js';
import { parseTomlSettings, parseYamlSettings } from '../../src/lint/parse/settings.js';

describe('format detection by name', () => {
  const table: Array<[string, string | undefined]> = [
    ['compose.yaml', 'compose'],
    ['docker-compose.yml', 'compose'],
    ['docker-compose.prod.yaml', 'compose'],
    ['dev-compose.yaml', 'compose'],
    ['development.compose.yml', 'compose'],
    ['docker__docker-compose.yml', 'compose'],
    ['values.yaml', 'yaml'],
    ['Dockerfile', 'dockerfile'],
    ['Dockerfile.simple', 'dockerfile'],
    ['server__dev.Dockerfile', 'dockerfile'],
    ['app.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['dockerfile-parser.js', undefined],
    ['.env', 'env'],
    ['.env.production', 'env'],
    ['.env.example', 'env'],
    ['production.env', 'env'],
    ['docker__.env.example', 'env'],
    ['config.env.ts', undefined],
    ['.envrc', undefined],
    ['settings.json', 'json'],
    ['package.json', undefined],
    ['agent.toml', 'toml'],
    ['Cargo.toml', undefined],
    ['README.md', undefined],
    ['main.ts', undefined],
    ['.agentsec.yaml', undefined],
    ['nginx.conf', 'nginx'],
    ['default.conf.template', 'nginx'],
    ['proxy.conf', 'conf'],
    ['docker__nginx__ragflow.conf.python', 'conf'],
    ['site.conf.j2', 'conf'],
    ['nginx.conf.bak', undefined],
    ['default.conf.dpkg-old', undefined],
    ['gunicorn.conf.py', undefined],
  ];
  for (const [name, want] of table) it(`${name} -> ${want ?? 'skipped'}`, () => assert.equal(formatByName(name), want));
  it('tells example env files', () => {
    assert.equal(isExampleEnv('.env.example'), true);
    assert.equal(isExampleEnv('docker__.env.sample'), true);
    assert.equal(isExampleEnv('.env'), false);
    assert.equal(isExampleEnv('.env.production'), false);
  });
});

describe('interpolation', () => {
  const vars: Record<string, string> = { SET: 'value', EMPTY: '' };
  const look = (n: string): string | undefined => vars[n];
  it('literal', () => assert.deepEqual(interpolate('plain', look).value, 'plain'));
  it('${VAR}', () => assert.equal(interpolate('${SET}', look).value, 'value'));
  it('unset is unknown', () => assert.equal(interpolate('${NOPE}', look).value, undefined));
  it(':- default when unset or empty', () => {
    assert.equal(interpolate('${NOPE:-d}', look).value, 'd');
    assert.equal(interpolate('${EMPTY:-d}', look).value, 'd');
    assert.equal(interpolate('${EMPTY-d}', look).value, '');
  });
  it('records where a default is written', () => {
    assert.deepEqual(interpolate('${NOPE:-abc}', look).origin, { kind: 'default', name: 'NOPE', offset: 8, length: 3 });
    const r = interpolate('x ${NOPE:-abc}', look);
    assert.equal(r.value, 'x abc');
    assert.deepEqual(r.defaults, [{ name: 'NOPE', text: 'abc', offset: 10 }]);
  });
  it('nested defaults', () => assert.equal(interpolate('${A:-${B:-inner}}', look).value, 'inner'));
  it('$$ escapes', () => assert.equal(interpolate('$$HOME', look).value, '$HOME'));
  it(':? with the variable unset is unknown', () => assert.equal(interpolate('${NOPE:?set it}', look).value, undefined));
  it('$VAR form', () => assert.equal(interpolate('a-$SET-b', look).value, 'a-value-b'));
});

describe('Caddyfile parser', () => {
  const names = (list: readonly CaddyDirective[]): string[] => {
    const out: string[] = [];
    walkCaddy(list, (d) => out.push(`${d.at.line}:${d.name}${d.args.length ? ` ${d.args.map((a) => a.value).join(' ')}` : ''}`));
    return out;
  };
  it('reads the global options, snippets (inlined where imported), sites and their addresses', () => {
    const p = parseCaddyfile('{\n\temail ops@example.com # who gets the notices\n\tadmin off\n}\n(common) {\n\tencode gzip\n}\na.example.com, http://b.example.com {\n\timport common\n\t@api path /api/*\n\thandle @api {\n\t\treverse_proxy "api:8000"\n\t}\n\trespond <<TXT\n\t\t{ not a block }\n\t\tTXT\n}\n');
    assert.deepEqual(p.errors, []);
    assert.deepEqual(names(p.global), ['2:email ops@example.com', '3:admin off']);
    assert.equal(p.sites.length, 1);
    assert.deepEqual(p.sites[0]?.addresses.map((a) => a.value), ['a.example.com', 'http://b.example.com']);
    assert.deepEqual(names(p.sites[0]?.directives ?? []), ['6:encode gzip', '10:@api path /api/*', '11:handle @api', '12:reverse_proxy api:8000', '14:respond \t\t{ not a block }']);
  });
  it('reads a single site without braces, and imports a file through the reader', () => {
    const p = parseCaddyfile(':8080\nimport extra/*.caddy\nreverse_proxy app:3000\n', { read: (path) => (path === 'extra/*.caddy' ? [{ file: 'extra/auth.caddy', text: 'basic_auth {\n\tu h\n}\n' }] : null) });
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.sites[0]?.addresses.map((a) => a.value), [':8080']);
    assert.deepEqual(names(p.sites[0]?.directives ?? []), ['1:basic_auth', '2:u h', '3:reverse_proxy app:3000']);
    assert.equal(p.sites[0]?.directives[0]?.at.file, 'extra/auth.caddy');
  });
  it('reports unbalanced braces and unterminated quotes as errors', () => {
    assert.match(parseCaddyfile('a.example.com {\n\treverse_proxy x\n').errors[0]?.message ?? '', /never closed/);
    assert.match(parseCaddyfile('a.example.com {\n}\n}\n').errors[0]?.message ?? '', /unexpected '\}'/);
    assert.match(parseCaddyfile('a.example.com {\n\trespond "open\n}\n').errors[0]?.message ?? '', /unterminated/);
  });
});

describe('command-line flags', () => {
  const words = (text: string): ArgToken[] => splitCommand(text, (o) => ({ line: 1, column: o + 1 }));
  it('splits a command as a shell would: quotes grouped and removed, escapes, positions', () => {
    assert.deepEqual(words(`serve --name "a b" --x='c d' e\\ f`).map((t) => [t.text, t.at.column]), [['serve', 1], ['--name', 7], ['a b', 14], ['--x=c d', 20], ['e f', 30]]);
  });
  it('reads --flag, --flag=value and --flag value; bare switches take no value; sh -c is unwrapped', () => {
    const got = flagSettings(words('sh -c "uvicorn app --host 0.0.0.0 --reload --log-level=debug --no-auth --workers 4 -p 80 --token ${TOKEN}"'), 'api');
    assert.deepEqual(got.map((s) => [s.key, s.name, s.value, s.flag]), [
      ['--host', 'HOST', '0.0.0.0', true],
      ['--reload', 'RELOAD', 'true', true],
      ['--log-level', 'LOG_LEVEL', 'debug', true],
      ['--no-auth', 'NO_AUTH', 'true', true],
      ['--workers', 'WORKERS', '4', true],
      ['--token', 'TOKEN', undefined, true],
    ]);
    assert.ok(got.every((s) => s.service === 'api'));
  });
});

describe('.env parser', () => {
  it('reads keys, values and positions', () => {
    const p = parseEnv('# c\nexport A=1\nB="two words" # note\nC=\'$lit\'\nD=x # y\nE\n');
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.entries.map((e) => [e.key, e.value, e.at.line, e.at.column]), [
      ['A', '1', 2, 8],
      ['B', 'two words', 3, 1],
      ['C', '$lit', 4, 1],
      ['D', 'x', 5, 1],
      ['E', undefined, 6, 1],
    ]);
    assert.equal(p.entries[0]?.valueAt.column, 10);
  });
  it('reads a double-quoted value across lines', () => {
    const p = parseEnv('K="a\nb"\nL=2\n');
    assert.equal(p.entries[0]?.value, 'a\nb');
    assert.equal(p.entries[1]?.at.line, 3);
  });
  it('reports bad lines and goes on', () => {
    const p = parseEnv('just words here\nA=1\n');
    assert.equal(p.errors.length, 1);
    assert.equal(p.errors[0]?.at.line, 1);
    assert.equal(p.entries[0]?.key, 'A');
  });
  it('reads a comment where the value starts as an empty value, as dotenv does; a # inside a value stays', () => {
    const p = parseEnv('A=#comment\nB= # comment\nC=x#y\nD="#quoted"\n');
    assert.deepEqual(p.entries.map((e) => [e.key, e.value]), [['A', ''], ['B', ''], ['C', 'x#y'], ['D', '#quoted']]);
  });
  it('interpolates from earlier entries', () => {
    const p = parseEnv('A=x\nB=${A}-y\nC=${HOME}\n');
    assert.equal(p.entries[1]?.value, 'x-y');
    assert.equal(p.entries[2]?.value, undefined);
  });
});

describe('Dockerfile parser', () => {
  it('joins continuations, skips comments inside them, tracks stages', () => {
    const d = parseDockerfile('FROM node:22 AS build\nRUN a && \\\n  # comment\n  b\nFROM build\nUSER app\n');
    assert.deepEqual(d.errors, []);
    assert.deepEqual(d.instructions.map((i) => [i.keyword, i.at.line, i.endLine, i.stage]), [
      ['FROM', 1, 1, 0],
      ['RUN', 2, 4, 0],
      ['FROM', 5, 5, 1],
      ['USER', 6, 6, 1],
    ]);
    assert.equal(d.stages[1]?.image, 'build');
    assert.equal(d.stages[0]?.alias, 'build');
  });
  it('honours the escape directive', () => {
    const d = parseDockerfile('# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n  c:\\\n');
    assert.equal(d.instructions[1]?.endLine, 4);
  });
  it('reads heredocs', () => {
    const d = parseDockerfile('FROM alpine:3.20\nRUN <<EOF\ncurl x | sh\nEOF\nUSER app\n');
    assert.equal(d.instructions[1]?.heredocs[0]?.body, 'curl x | sh');
    assert.equal(d.instructions[2]?.keyword, 'USER');
  });
  it('reports unknown instructions and a missing FROM', () => {
    assert.match(parseDockerfile('FROM a:1\nFROB x\n').errors[0]?.message ?? '', /unknown instruction FROB/);
    assert.match(parseDockerfile('RUN x\n').errors[0]?.message ?? '', /no FROM/);
  });
  it('splits ENV pairs', () => {
    assert.deepEqual(keyValuePairs('A=1 B="two words"'), [{ key: 'A', value: '1' }, { key: 'B', value: 'two words' }]);
    assert.deepEqual(keyValuePairs('A legacy value'), [{ key: 'A', value: 'legacy value' }]);
  });
});

describe('compose ports', () => {
  const table: Array<[string, string | undefined, string | undefined, number | undefined]> = [
    ['8080:80', undefined, '8080', 80],
    ['127.0.0.1:8080:80', '127.0.0.1', '8080', 80],
    ['[::1]:8080:80/udp', '::1', '8080', 80],
    ['3000', undefined, undefined, 3000],
    ['9000-9002:9000-9002', undefined, '9000-9002', 9000],
  ];
  for (const [spec, ip, host, container] of table) {
    it(spec, () => {
      const p = parsePortShort(spec);
      assert.deepEqual([p.hostIp, p.hostPort, p.containerPort], [ip, host, container]);
    });
  }
});

describe('settings files', () => {
  it('TOML keys with positions', () => {
    const p = parseTomlSettings('[server]\ntls_enabled = false\n\n[observability]\naudit_logging = false\n');
    assert.deepEqual(p.settings.map((s) => [s.key, s.name, s.value, s.at.line]), [
      ['server.tls_enabled', 'TLS_ENABLED', 'false', 2],
      ['observability.audit_logging', 'AUDIT_LOGGING', 'false', 5],
    ]);
  });
  it('TOML errors carry a position', () => {
    const p = parseTomlSettings('[server\n');
    assert.equal(p.errors.length, 1);
    assert.equal(p.errors[0]?.at.line, 1);
  });
  it('JSON camelCase keys', () => {
    const p = parseYamlSettings('{\n  "server": { "tlsEnabled": false }\n}\n');
    assert.deepEqual(p.settings.map((s) => [s.name, s.path, s.at.line]), [['TLS_ENABLED', 'SERVER_TLS_ENABLED', 2]]);
  });
});
