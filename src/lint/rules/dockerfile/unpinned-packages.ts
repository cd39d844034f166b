import { locateIn } from '../../parse/dockerfile.js';
import { commands, runs } from '../../dockerfile-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

function unpinned(cmd: string): { tool: string; pkgs: string[] } | undefined {
  const m = /^(?:\S+=\S*\s+)*(?:sudo\s+)?(apt-get|apt|apk|pip3?|python3?\s+-m\s+pip|npm|pnpm|yarn|gem)\s+(.*)$/.exec(cmd);
  if (!m) return undefined;
  const tool = (m[1] as string).replace(/^python3?\s+-m\s+/, '');
  const words = (m[2] as string).split(/\s+/).filter(Boolean);
  const verb = words.find((w) => !w.startsWith('-'));
  const installs = { 'apt-get': ['install'], apt: ['install'], apk: ['add'], pip: ['install'], pip3: ['install'], npm: ['install', 'i', 'add'], pnpm: ['add', 'install'], yarn: ['add', 'global'], gem: ['install'] }[tool] ?? [];
  if (!verb || !installs.includes(verb)) return undefined;
  const args = words.slice(words.indexOf(verb) + 1).filter((w) => !w.startsWith('-') && w !== 'add');
  // Requirement files, local paths, archives and variables are pinned elsewhere (or cannot be told from here).
  if (/^pip/.test(tool) && words.some((w) => w === '-r' || w.startsWith('--requirement') || w === '-e' || w === '.')) return undefined;
  if (/npm|pnpm|yarn/.test(tool) && args.length === 0) return undefined;
  const pkgs = args.filter((a) => {
    if (/^[./$~]|\.(?:whl|tar\.gz|tgz|deb|rpm|apk)$|:\/\//.test(a)) return false;
    if (tool === 'apt-get' || tool === 'apt') return !a.includes('=');
    if (tool === 'apk') return !a.includes('=') && !a.includes('~');
    if (/^pip/.test(tool)) return !/[=<>~!]=|@/.test(a);
    if (tool === 'gem') return !/:/.test(a);
    return !/.@[^/]/.test(a.replace(/^@/, ''));
  });
  return pkgs.length ? { tool, pkgs } : undefined;
}

export const rule: Rule = {
  meta: {
    id: 'dockerfile/unpinned-packages',
    severity: 'info',
    title: 'packages installed without a version',
    rationale: 'Unpinned installs make builds non-reproducible: the same Dockerfile yields different images on different days. Off by default because OS security updates are often wanted unpinned; turn it on where reproducibility matters.',
    remediation: 'Pin versions (`apt-get install curl=8.5.0-2`, `pip install requests==2.32.3`, `npm install -g pnpm@9.12.0`) or install from a lock file.',
    refs: ['https://github.com/hadolint/hadolint/wiki/DL3008', 'https://github.com/hadolint/hadolint/wiki/DL3013', 'https://github.com/hadolint/hadolint/wiki/DL3016', 'https://github.com/hadolint/hadolint/wiki/DL3018'],
    anchors: 'H DL3008, DL3013, DL3016, DL3018',
    formats: ['dockerfile'],
    defaultOff: true,
    messages: { unpinned: '{tool} installs {pkgs} without a version' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const { instr, script } of runs(doc)) {
      for (const c of commands(script)) {
        const u = unpinned(c);
        if (!u) continue;
        const shown = u.pkgs.slice(0, 3).join(', ') + (u.pkgs.length > 3 ? ` and ${u.pkgs.length - 3} more` : '');
        out.push({ message: fmt(this.meta.messages.unpinned, { tool: u.tool, pkgs: shown }), at: locateIn(instr, new RegExp(u.tool.replace(/[-]/g, '\\-'))), key: `${u.tool}:${u.pkgs.join(',')}` });
      }
    }
    return out;
  },
};
