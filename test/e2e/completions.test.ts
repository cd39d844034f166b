import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, ROOT, runCli, tempDir } from '../support/cli.js';
import { have, TmuxShell } from '../support/tmux.js';

/**
 * The generated completion scripts, driven in the real shells: keys typed into a tmux pane, TAB pressed, the screen
 * read back. Each shell is skipped with a note where it (or tmux) is not installed; .ci/run installs them.
 */
const tmp = tempDir('agentsec-compl-');
after(() => tmp.cleanup());
const home = join(tmp.dir, 'home');
const otherHome = join(tmp.dir, 'other-home');
const work = join(tmp.dir, 'work');
const bin = join(tmp.dir, 'bin');
let keyId = '';

before(() => {
  const A = (h: string, args: string[], input = '') => {
    const r = runCli(['--home', h, ...args], { input });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  A(home, ['init', '--quiet']);
  keyId = (JSON.parse(A(home, ['--json', 'keys', 'issue', '--name', 'ci-deploy'])) as { id: string }).id;
  A(home, ['--json', 'totp', 'enroll', 'alice']);
  A(home, ['--json', 'totp', 'enroll', 'bob']);
  A(otherHome, ['init', '--quiet']);
  A(otherHome, ['--json', 'totp', 'enroll', 'carol']);
  mkdirSync(join(work, 'home-dir'), { recursive: true });
  writeFileSync(join(work, 'homework.txt'), '');
  writeFileSync(join(work, 'uniq-config.yaml'), 'rules: {}\n');
  // `agentsec` on PATH, as an installed package puts it.
  mkdirSync(bin);
  writeFileSync(join(bin, 'agentsec'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'agentsec'), 0o755);
});

interface ShellSetup {
  readonly name: 'bash' | 'zsh' | 'fish';
  readonly command: string[];
  /** Typed once the shell is up: loads the generated script. */
  readonly init: string;
  /** TABs that show a list of candidates (bash lists on the second). */
  readonly listTabs: number;
  /** How the shell shows an option with its description. */
  readonly described?: RegExp;
}

const SHELLS: readonly ShellSetup[] = [
  { name: 'bash', command: ['bash', '--norc', '--noprofile', '-i'], init: `source ${join(ROOT, 'completions', 'agentsec.bash')}`, listTabs: 2 },
  {
    name: 'zsh',
    command: ['zsh', '-f', '-i'],
    init: `fpath=(${join(ROOT, 'completions')} $fpath); autoload -Uz compinit; compinit -u -D; PROMPT='P> '`,
    listTabs: 1,
    described: /--name\s+-- what the key is for \(required\)/,
  },
  {
    name: 'fish',
    command: ['fish', '--no-config', '-i'],
    init: `set -g fish_greeting; function fish_prompt; echo 'P> '; end; source ${join(ROOT, 'completions', 'agentsec.fish')}`,
    listTabs: 1,
    described: /--name\s+\(what the key is for \(required\)\)/,
  },
];

for (const shell of SHELLS) {
  describe(`completions in ${shell.name}`, () => {
    const missing = ['tmux', shell.name].filter((p) => !have(p));
    if (missing.length > 0) {
      test(`${shell.name} completions`, (t) => t.skip(`${missing.join(' and ')} not installed (.ci/run installs it as root)`));
      return;
    }
    let sh: TmuxShell;
    before(async () => {
      sh = new TmuxShell(shell.name, shell.command, {
        PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
        HOME: tmp.dir,
        XDG_CONFIG_HOME: join(tmp.dir, '.config'),
        XDG_DATA_HOME: join(tmp.dir, '.local'),
        AGENTSEC_HOME: home,
        PS1: 'P> ',
        NO_COLOR: '1',
        LANG: 'C.UTF-8',
      });
      sh.start(work);
      await sh.waitFor(/\S/);
      await new Promise((r) => setTimeout(r, 500));
      // The script is loaded, and the shell has read everything typed so far, once it has computed 6*7.
      sh.text(`${shell.init}; echo READY-${shell.name === 'fish' ? '(math 6 \\* 7)' : '$((6 * 7))'}`);
      sh.keys('Enter');
      await sh.waitFor(/READY-42/, 30_000);
    });
    after(() => sh?.stop());

    test('enum values of an option, never rewritten to "--role -"', async () => {
      // Roles come from the home's table (built-ins here), listed with their permissions where the shell shows them (in columns: any order).
      const screen = await sh.complete('agentsec keys issue --role ', /^(?=[\s\S]*\badmin\b)(?=[\s\S]*\boperator\b)(?=[\s\S]*\bowner\b)(?=[\s\S]*\bviewer\b)/, shell.listTabs);
      assert.doesNotMatch(screen, /--role -/);
      await sh.complete('agentsec blocks export --format nft', /--format nftables/);
      await sh.complete('agentsec lint --fail-on me', /--fail-on medium/);
    });

    test('dynamic values from the home, read without the master key: key ids, TOTP users, --home honoured', async () => {
      await sh.complete('agentsec keys revoke ', new RegExp(`keys revoke ${keyId}`));
      await sh.complete('agentsec totp verify ', /alice\s+.*bob|alice\s+bob/, shell.listTabs);
      await sh.complete(`agentsec --home ${otherHome} totp remove `, /totp remove carol/);
    });

    test('lint rule ids for lint explain, and help topics', async () => {
      await sh.complete('agentsec lint explain compose/privi', /lint explain compose\/privileged/);
      await sh.complete('agentsec help exit-c', /help exit-codes/);
    });

    test('files where a file goes, directories where a directory goes', async () => {
      await sh.complete('agentsec lint --config ./uniq', /--config \.\/uniq-config\.yaml/);
      await sh.complete('agentsec --home ./hom', /--home \.\/home-dir\//);
    });

    test('an option already given is not offered again; a free-text value offers nothing', async () => {
      const again = await sh.settle('agentsec keys issue --name x --na', shell.listTabs);
      assert.match(again, /--name x --na\s*$/m, 'the line is unchanged');
      assert.doesNotMatch(again, /--name x --name/);
      const free = await sh.settle('agentsec keys issue --name ', shell.listTabs);
      assert.doesNotMatch(free, /--name (-|--role|README)/);
      await sh.complete('agentsec keys issue --scope a:b --sc', /--scope a:b --scope/);
    });

    if (shell.described) {
      const described = shell.described;
      test('options are listed with their descriptions', async () => {
        await sh.complete('agentsec keys issue --', described, shell.listTabs);
      });
    }

    if (shell.name === 'bash') {
      test('a confirmation on a real terminal defaults to no', async () => {
        await sh.fresh();
        sh.text(`agentsec keys revoke ${keyId}`);
        sh.keys('Enter');
        await sh.waitFor(/Revoke API key .*\(y\/N\)/);
        sh.keys('Enter');
        await sh.waitFor(/not confirmed; nothing changed/);
        const shown = runCli(['--home', home, '--json', 'keys', 'show', keyId]);
        assert.equal((JSON.parse(shown.stdout) as { key: { status: string } }).key.status, 'active');
      });
    }
  });
}

describe('agentsec __complete', () => {
  test('reads the home without the master key, hides nothing secret, and never fails loudly', () => {
    const pass = join(tmp.dir, 'pass-home');
    const env = { AGENTSEC_PASSPHRASE: 'correct horse battery staple 42' };
    assert.equal(runCli(['--home', pass, 'init', '--quiet'], { env }).code, 0);
    const issued = JSON.parse(runCli(['--home', pass, '--json', 'keys', 'issue', '--name', 'needs-no-key'], { env }).stdout) as { id: string; key: string };
    // No AGENTSEC_PASSPHRASE: the master key cannot be derived, and is not needed.
    const ids = runCli(['--home', pass, '__complete', 'key-ids']);
    assert.equal(ids.code, 0, ids.stderr);
    assert.equal(ids.stdout, `${issued.id}\tneeds-no-key (viewer)\n`);
    assert.ok(!ids.stdout.includes(issued.key));
    assert.match(runCli(['--home', pass, '__complete', 'lint-rules', 'compose/priv']).stdout, /^compose\/privileged\t/);
    assert.deepEqual(runCli(['--home', join(tmp.dir, 'nowhere'), '__complete', 'totp-users']), { code: 0, stdout: '', stderr: '' });
    assert.equal(runCli(['--home', pass, '__complete', 'nonsense']).code, 2);
    assert.doesNotMatch(runCli(['--help']).stdout, /__complete/, 'hidden from help');
  });

  test('a home that others can read is not read', () => {
    const open = join(tmp.dir, 'open-home');
    assert.equal(runCli(['--home', open, 'init', '--quiet']).code, 0);
    runCli(['--home', open, '--json', 'totp', 'enroll', 'dave']);
    chmodSync(open, 0o755);
    assert.equal(runCli(['--home', open, '__complete', 'totp-users']).stdout, '');
    chmodSync(open, 0o700);
    assert.equal(runCli(['--home', open, '__complete', 'totp-users']).stdout, 'dave\tpending\n');
  });
});
