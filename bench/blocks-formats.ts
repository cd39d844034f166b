import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAccessLog, type GeneratedLog } from '../test/support/access-log.js';
import { fail2banRegex, measure } from './blocks.js';
import { BIN, type Bench, type Row } from './lib.js';

const LINES = 300_000;

// The filters a fail2ban user would write for these logs; fail2ban cuts the whole date match out of the line first.
const JSON_FILTER = `[Definition]
failregex = ^, "level": "[A-Z]+", "event": "(?:AUTHENTICATION_FAILED|ACCESS_DENIED|RATE_LIMIT_EXCEEDED)", "user_id": "[^"]*", "source_ip": "<ADDR>"
datepattern = ^\\{"timestamp": "%%Y-%%m-%%dT%%H:%%M:%%S(?:\\.%%f)?%%z"
`;
const LOGFMT_FILTER = `[Definition]
failregex = ^ level=\\w+ event=(?:AUTHENTICATION_FAILED|ACCESS_DENIED|RATE_LIMIT_EXCEEDED) ip=<ADDR>
datepattern = ^time=%%Y-%%m-%%dT%%H:%%M:%%S(?:\\.%%f)?%%z
`;

interface Path {
  readonly label: string;
  readonly shape: 'json' | 'logfmt';
  readonly args: (filter: string) => string[];
  readonly filter: string;
}

const PATHS: readonly Path[] = [
  { label: 'json (preset source-ip)', shape: 'json', args: () => ['--format', 'json', '--preset', 'source-ip'], filter: JSON_FILTER },
  { label: 'logfmt', shape: 'logfmt', args: () => ['--format', 'logfmt'], filter: LOGFMT_FILTER },
  { label: 'fail2ban-filter (the JSON filter)', shape: 'json', args: (f) => ['--filter', f], filter: JSON_FILTER },
];

/**
 * `blocks ingest` on JSON and key=value security logs and through a fail2ban filter, each beside fail2ban-regex on
 * the same log with a filter for it (300,000 lines, the shape of the 1M-line nginx bench). Reported, no goal: the
 * ≥ 10× goal is the nginx path's (blocks bench).
 */
export const blocksFormatsBench: Bench = {
  name: 'IP blocks ingest formats (JSON, logfmt, fail2ban filter)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-formats-'));
    const rows: Row[] = [];
    const notes: string[] = [];
    try {
      const f2b = fail2banRegex();
      if (!f2b) notes.push('fail2ban-regex is not installed and could not be installed: no side-by-side baseline');
      const logs = new Map<string, { file: string; gen: GeneratedLog }>();
      for (const path of PATHS) {
        let log = logs.get(path.shape);
        if (!log) {
          const file = join(dir, `security.${path.shape}`);
          // Eight minutes ending now, as the nginx bench: every line inside find-time.
          const gen = writeAccessLog(file, { lines: LINES, seed: 42, start: Date.now() - 8 * 60_000, spanMs: 8 * 60_000, offenders: 600, burst: 60, noise: 2200, malformed: 0.001, shape: path.shape });
          log = { file, gen };
          logs.set(path.shape, log);
        }
        const filter = join(dir, `${path.shape}.conf`);
        writeFileSync(filter, path.filter);
        const home = join(dir, `h-${rows.length}`);
        const env = { ...process.env, AGENTSEC_HOME: home };
        if (spawnSync(process.execPath, [BIN, 'init', '-q'], { env }).status !== 0) throw new Error('init failed');
        const ours = measure(process.execPath, [BIN, '--json', 'blocks', 'ingest', log.file, ...path.args(filter)], env);
        const doc = JSON.parse(ours.stdout) as { blocked: number; matched: number };
        if (doc.blocked !== log.gen.offenders.size) throw new Error(`${path.label}: blocked ${doc.blocked}, expected ${log.gen.offenders.size}`);
        if (doc.matched !== log.gen.failureLines) throw new Error(`${path.label}: matched ${doc.matched}, expected ${log.gen.failureLines}`);
        const rate = LINES / (ours.ms / 1000);
        if (f2b) {
          const base = measure(f2b, ['--print-no-missed', log.file, filter], process.env);
          const matched = /Lines: \d+ lines, \d+ ignored, (\d+) matched/.exec(base.stdout)?.[1];
          if (Number(matched) !== log.gen.failureLines) throw new Error(`fail2ban-regex matched ${matched} lines of the ${path.shape} log, expected ${log.gen.failureLines}: the filter is wrong`);
          const f2bRate = LINES / (base.ms / 1000);
          rows.push({ label: `fail2ban-regex, ${path.shape} log (baseline)`, value: f2bRate, unit: 'lines/s', ratio: 1 });
          rows.push({ label: `agentsec blocks ingest, ${path.label}`, value: rate, unit: 'lines/s', ratio: rate / f2bRate });
        } else rows.push({ label: `agentsec blocks ingest, ${path.label}`, value: rate, unit: 'lines/s' });
      }
      notes.push(`${LINES} lines per log, ${logs.get('json')?.gen.failureLines} failure lines, ${logs.get('json')?.gen.offenders.size} offenders; ingest includes process start, store writes and audit entries`);
      return { name: this.name, rows, notes };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
