import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNginx, walkNginx, type IncludeReader, type NgDirective } from '../../src/lint/parse/nginx.js';
import { lintMemory } from './support.js';

function names(list: readonly NgDirective[]): string[] {
  const out: string[] = [];
  walkNginx(list, (d) => out.push(`${d.at.file ?? ''}${d.at.file ? ':' : ''}${d.at.line}:${d.at.column} ${d.name}`));
  return out;
}

function reader(files: Record<string, string>): IncludeReader {
  return (path, from) => {
    const dir = from === undefined ? '' : from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
    const key = `${dir}${path}`;
    const text = files[key];
    return text === undefined ? null : { file: key, key, text };
  };
}

describe('nginx parser', () => {
  it('gives directives, blocks, quoted strings and positions; skips comments', () => {
    const p = parseNginx('# top\nhttp {\n  add_header X-A "a b; {c}" always; # trailing\n  server { listen 80; }\n}\n');
    assert.deepEqual(p.errors, []);
    assert.deepEqual(names(p.directives), ['2:1 http', '3:3 add_header', '4:3 server', '4:12 listen']);
    const h = p.directives[0]?.block?.[0];
    assert.deepEqual(h?.args.map((a) => [a.value, a.quoted, a.at.column]), [['X-A', false, 14], ['a b; {c}', true, 18], ['always', false, 29]]);
    assert.equal(p.directives[0]?.block?.[1]?.block?.[0]?.parent?.name, 'server');
  });

  it('keeps ${var} in one token and reads escapes', () => {
    const p = parseNginx('set $a "x\\"y";\nreturn 200 ${a}b;\n');
    assert.deepEqual(p.errors, []);
    assert.equal(p.directives[0]?.args[1]?.value, 'x"y');
    assert.equal(p.directives[1]?.args[1]?.value, '${a}b');
  });

  it('resolves include relative to the including file, with positions in the included file', () => {
    const files = { 'conf/proxy.conf': 'proxy_set_header Host $host;\ninclude more.conf;\n', 'conf/more.conf': 'proxy_buffering off;\n' };
    const p = parseNginx('server {\n  include conf/proxy.conf;\n}\n', { read: reader(files) });
    assert.deepEqual(p.errors, []);
    assert.deepEqual(names(p.directives), ['1:1 server', 'conf/proxy.conf:1:1 proxy_set_header', 'conf/more.conf:1:1 proxy_buffering']);
    assert.equal(p.directives[0]?.block?.[0]?.parent?.name, 'server');
  });

  it('stops include cycles and keeps unreadable includes as unresolved', () => {
    const files = { 'a.conf': 'include b.conf;\nx 1;\n', 'b.conf': 'include a.conf;\ny 2;\n' };
    const p = parseNginx('include a.conf;\ninclude /etc/nginx/mime.types;\ninclude conf.d/*.conf;\n', { read: reader(files), key: 'main' });
    assert.deepEqual(p.errors, []);
    assert.deepEqual(names(p.directives), ['b.conf:1:1 include', 'b.conf:2:1 y', 'a.conf:2:1 x', '2:1 include', '3:1 include']);
    assert.ok(p.directives.filter((d) => d.unresolved).length === 3);
  });

  it('treats template placeholders as unknown values and as whole directives', () => {
    const p = parseNginx('server {\n  listen ${NGINX_PORT};\n  ${HTTPS_CONFIG}\n  ${ACME}\n}\n', { template: true });
    assert.deepEqual(p.errors, []);
    const s = p.directives[0]?.block ?? [];
    assert.equal(s[0]?.args[0]?.placeholder, true);
    assert.deepEqual(s.filter((d) => d.placeholder).map((d) => d.name), ['${HTTPS_CONFIG}', '${ACME}']);
  });

  it('reports unbalanced braces, unterminated quotes and a missing semicolon as errors, not exceptions', () => {
    assert.match(parseNginx('http {\n  server {\n}\n').errors[0]?.message ?? '', /never closed/);
    assert.match(parseNginx('server { }\n}\n').errors[0]?.message ?? '', /unexpected '\}'/);
    assert.match(parseNginx('add_header X "abc;\n').errors[0]?.message ?? '', /unterminated/);
    assert.match(parseNginx('server {\n  listen 80\n}\n').errors[0]?.message ?? '', /terminating ';'/);
    assert.match(parseNginx('listen 80').errors[0]?.message ?? '', /terminating ';'/);
    assert.deepEqual(parseNginx('{').errors[0]?.at, { line: 1, column: 1 });
  });

  it('parses deep nesting and long inputs without hanging', () => {
    assert.deepEqual(parseNginx('location / {'.repeat(200) + '}'.repeat(200)).errors, []);
    assert.match(parseNginx('location / {'.repeat(100_000) + '}'.repeat(100_000)).errors[0]?.message ?? '', /nested deeper/);
    const long = 'add_header X y;\n'.repeat(50_000);
    assert.equal(parseNginx(long).directives.length, 50_000);
  });
});

describe('nginx in the engine', () => {
  it('detects nginx by name and content, and turns a syntax error into nginx/parse-error', () => {
    const r = lintMemory({ 'nginx.conf': 'http {\n  server {\n', 'site.conf': 'server {\n  listen 80;\n}\n', 'other.conf': 'key = value\n' });
    assert.deepEqual(r.files.sort(), ['nginx.conf', 'site.conf']);
    const pe = r.findings.filter((f) => f.ruleId === 'nginx/parse-error');
    assert.deepEqual(pe.map((f) => `${f.file}:${f.line}`), ['nginx.conf:2']);
  });

  it('resolves includes from the file system host and reports findings in the included file', () => {
    const r = lintMemory(
      { 'nginx/nginx.conf': 'http {\n  server_tokens off;\n  include conf.d/site.conf;\n}\n', 'nginx/conf.d/site.conf': 'server {\n  location /static {\n    alias /srv/static/;\n  }\n}\n' },
      { walk: ['nginx/nginx.conf'] },
    );
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'nginx/alias-traversal').map((f) => `${f.file}:${f.line}`), ['nginx/conf.d/site.conf:3']);
  });

  it('follows include globs relative to the including file, in sorted order; a glob matching nothing stays unresolved', () => {
    const r = lintMemory(
      {
        'nginx/nginx.conf': 'http {\n  server_tokens off;\n  include conf.d/*.conf;\n  include missing/*.conf;\n  include /etc/nginx/conf.d/*.conf;\n}\n',
        'nginx/conf.d/b.conf': 'server {\n  location /b { alias /srv/b/; }\n}\n',
        'nginx/conf.d/a.conf': 'server {\n  location /a { alias /srv/a/; }\n}\n',
        'nginx/conf.d/readme.txt': 'not nginx\n',
      },
      { walk: ['nginx/nginx.conf'] },
    );
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'nginx/alias-traversal').map((f) => `${f.file}:${f.line}`), ['nginx/conf.d/a.conf:2', 'nginx/conf.d/b.conf:2']);
    const p = parseNginx('include x/*.conf;\ninclude y/*.conf;\n', { read: reader({ 'x/1.conf': 'a 1;\n' }), expand: (pattern) => (pattern.startsWith('x/') ? ['x/1.conf'] : []) });
    assert.deepEqual(names(p.directives), ['x/1.conf:1:1 a', '2:1 include']);
    assert.equal(p.directives[1]?.unresolved, true);
  });

  it('recognises nginx variants by content (ragflow.conf.python) and leaves unrendered Jinja templates alone', () => {
    const r = lintMemory({
      'nginx/site.conf.python': 'server {\n  listen 80;\n  location / { proxy_pass http://127.0.0.1:9380; }\n}\n',
      'nginx/site.conf.j2': 'server {\n  listen {{ port }};\n  {% if tls %}ssl_certificate x;{% endif %}\n}\n',
      'nginx/nginx.conf.bak': 'http {\n',
      'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
    });
    assert.deepEqual(r.files, ['nginx/site.conf.python']);
    assert.equal(r.parseErrors, 0);
  });

  it('does not loop on a file that includes itself, and skips non-UTF-8 bytes safely', () => {
    const r = lintMemory({ 'nginx.conf': 'include nginx.conf;\nhttp { server_tokens off; }\n', 'bad.conf': new Uint8Array([0x73, 0x65, 0x72, 0x76, 0x65, 0x72, 0x20, 0x7b, 0xff, 0xfe, 0x20, 0x7d, 0x0a]) });
    assert.equal(r.runtimeFailures, 0);
    assert.deepEqual(r.findings.filter((f) => f.ruleId.endsWith('parse-error')).map((f) => f.file), ['bad.conf']);
  });
});
