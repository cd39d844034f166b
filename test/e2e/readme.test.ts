import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { after, test } from 'node:test';
import { BIN, ROOT, tempDir } from '../support/cli.js';

const tmp = tempDir('agentsec-readme-');
after(() => tmp.cleanup());
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens kept), spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

test('the five-minute tour runs verbatim on a fresh machine, in its own scratch home', () => {
  const block = /<!-- tour -->\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  assert.ok(block, 'the README has the tour block');
  const bin = join(tmp.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'agentsec'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'agentsec'), 0o755);
  // A clean environment: no AGENTSEC_HOME, a HOME with nothing in it, errors stop the script.
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', block], { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: tmp.dir, TMPDIR: tmp.dir, NO_COLOR: '1' }, timeout: 180_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^VALID$/m);
  assert.match(r.stdout, /^valid$/m);
  assert.match(r.stdout, /lint found problems \(exit 1\)/);
  assert.match(r.stdout, /203\.0\.113\.7 is blocked/);
  assert.match(r.stderr, /audit chain verified [^\n]*\n\s+trusted key \S+ \(--pubkey-file\)/);
  assert.doesNotMatch(r.stderr, /internal error|agentsec: /, 'no command failed along the way');
});

test('every link to a section of the README resolves, and the newcomer sections exist', () => {
  const headings = new Set([...readme.matchAll(/^#{1,4} (.+)$/gm)].map((m) => anchor(m[1] as string)));
  const links = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] as string);
  assert.ok(links.length > 20);
  for (const l of links) assert.ok(headings.has(l), `#${l} has a heading`);
  for (const h of ['contents', 'install', 'five-minute-tour', 'threat-model', 'backup-restore-and-upgrade', 'uninstall', 'troubleshooting', 'integrations']) assert.ok(headings.has(h), h);
});

test('no README example needs a --state or --output directory that a fresh machine lacks', () => {
  for (const m of readme.matchAll(/--(?:state|output) (\/[^\s"']+)/g)) {
    const dir = (m[1] as string).replace(/\/[^/]*$/, '') || '/';
    const made = new RegExp(`(mkdir -p[^\\n]*|install -d[^\\n]*|StateDirectory)${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(readme);
    const standard = ['/etc/nftables.d', '/etc/nginx', '/var/lib', '/etc', '/backup', '/srv/www/.well-known'].includes(dir);
    assert.ok(made || standard, `${m[0]}: its directory ${dir} is neither standard nor created in the README`);
  }
});

test('every relative link of the README and of docs/ names a file that exists, and its #section a heading there', () => {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
  let checked = 0;
  for (const file of ['README.md', ...docs]) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // Code spans and blocks are not links.
    const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] as string;
      if (/^[a-z]+:/.test(target)) continue;
      const [path, hash] = target.split('#') as [string, string | undefined];
      const abs = path === '' ? join(ROOT, file) : normalize(join(ROOT, dirname(file), path));
      assert.ok(existsSync(abs), `${file}: the link ${target} names ${relative(ROOT, abs)}, which does not exist`);
      if (hash !== undefined && abs.endsWith('.md')) {
        const headings = new Set([...readFileSync(abs, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((h) => anchor(h[1] as string)));
        assert.ok(headings.has(hash), `${file}: the link ${target} names a section ${relative(ROOT, abs)} does not have`);
      }
      checked++;
    }
  }
  assert.ok(checked > 50, `only ${checked} links checked`);
});

test('the README stays an overview: the reference of each command group lives in docs/', () => {
  for (const doc of ['lint', 'audit', 'secrets', 'keys', 'totp', 'jwt', 'blocks']) {
    assert.ok(existsSync(join(ROOT, 'docs', `${doc}.md`)), `docs/${doc}.md`);
    assert.ok(readme.includes(`](docs/${doc}.md)`), `the README links docs/${doc}.md`);
  }
  assert.ok(readme.split('\n').length < 800, 'the README is an overview, not the reference');
});
