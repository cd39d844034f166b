import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { lintFiles } from '../src/lint/engine.js';
import { activeRules, PROFILES } from '../src/lint/profiles.js';
import { formatByName, looksLikeK8s, looksLikeNginx, looksLikeTraefik } from '../src/lint/formats.js';
import { walkPaths } from '../src/platform/walk.js';
import { BIN, ROOT, timeCommand, type Bench, type Row } from './lib.js';

/** A small deterministic PRNG, so every run lints the same tree. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const COMPOSE = (i: number, r: () => number): string => `services:
  agent-${i}:
    image: ${r() < 0.5 ? 'letta/letta:latest' : `ghcr.io/acme/agent:${i % 9}.${i % 7}.0`}
    ports:
      - "${r() < 0.5 ? '' : '127.0.0.1:'}${8000 + (i % 900)}:8283"
    environment:
      JWT_SECRET: \${JWT_SECRET:-${r() < 0.3 ? 'change-in-production' : 'f3a9c1e07b5d4e2a8c6f0b1d9e7a5c3b'}}
      OPENAI_API_KEY: \${OPENAI_API_KEY}
      WS_AUTH_ENABLED: "${r() < 0.2 ? 'false' : 'true'}"
      LOG_LEVEL: info
    volumes:
      - ./data-${i}:/data
${r() < 0.1 ? '      - /var/run/docker.sock:/var/run/docker.sock\n' : ''}    healthcheck:
      test: ["CMD", "true"]
  db-${i}:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-postgres}
${r() < 0.3 ? '    ports:\n      - "5432:5432"\n' : ''}`;

const ENV = (i: number, r: () => number): string => `# service ${i}
HOST=0.0.0.0
PORT=${3000 + i}
WS_AUTH_ENABLED=${r() < 0.3 ? 'false' : 'true'}
RATE_LIMIT_ENABLED=true
MAX_FAILED_ATTEMPTS=${r() < 0.3 ? 50 : 5}
CORS_ALLOWED_ORIGINS=${r() < 0.2 ? '*' : 'https://a.example.com'}
JWT_SECRET=${r() < 0.3 ? 'changeme' : 'f3a9c1e07b5d4e2a8c6f0b1d9e7a5c3bf3a9c1e07b5d4e2a8c6f0b1d9e7a5c3b'}
JWT_EXPIRES_IN=${r() < 0.5 ? '15m' : '7d'}
MAX_REQUEST_SIZE=10mb
`;

const DOCKERFILE = (i: number, r: () => number): string => `FROM node:${r() < 0.3 ? 'latest' : '22.11-slim'} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && \\
    npm run build
FROM node:22.11-slim
COPY --from=build /app/dist /app
${r() < 0.3 ? 'RUN curl -fsSL https://example.com/i.sh | bash\n' : ''}${r() < 0.5 ? 'USER node\n' : ''}EXPOSE ${3000 + i}
CMD ["node", "/app/index.js"]
`;

const SOURCE = (i: number): string => `// module ${i}\nexport function f${i}(x: number): number {\n  return x * ${i};\n}\n`;

/** 10,000 files: mostly source and docs, with `configs` compose/.env/Dockerfile configs spread among them. */
export function generateTree(dir: string, total: number, configs: number): { composeDir: string } {
  const r = prng(42);
  const composeDir = join(dir, 'compose-only');
  mkdirSync(composeDir, { recursive: true });
  let written = 0;
  const perKind = Math.floor(configs / 3);
  for (let i = 0; i < perKind; i++) {
    const svc = join(dir, 'services', `svc-${i}`);
    mkdirSync(svc, { recursive: true });
    const compose = COMPOSE(i, r);
    writeFileSync(join(svc, 'docker-compose.yml'), compose);
    writeFileSync(join(composeDir, `docker-compose.${i}.yml`), compose);
    writeFileSync(join(svc, '.env'), ENV(i, r));
    writeFileSync(join(svc, 'Dockerfile'), DOCKERFILE(i, r));
    written += 3;
  }
  for (let i = 0; written < total; i++) {
    const d = join(dir, 'src', `pkg-${i % 97}`, `mod-${i % 13}`);
    mkdirSync(d, { recursive: true });
    const kind = i % 10;
    const name = kind < 6 ? `file-${i}.ts` : kind < 8 ? `file-${i}.md` : kind < 9 ? `data-${i}.json` : `file-${i}.py`;
    writeFileSync(join(d, name), kind === 8 ? `{"id": ${i}, "name": "item ${i}", "tags": ["a", "b"]}\n` : SOURCE(i));
    written++;
  }
  return { composeDir };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * In-process: walk and lint `dir` `runs` times after a warm-up; returns the median CPU seconds of this process (user +
 * system: what one core spends, whatever else the machine is running) and the counts.
 */
function lintInProcess(dir: string, runs: number): { seconds: number; wall: number; walked: number; linted: number } {
  const samples: number[] = [];
  const walls: number[] = [];
  let walked = 0;
  let linted = 0;
  const rules = activeRules('default');
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const w = walkPaths(['.'], dir);
    const res = lintFiles(
      w.files.map((abs) => ({ abs })),
      { read: (abs) => (existsSync(abs) ? readFileSync(abs) : null), display: (abs) => relative(dir, abs), list: (d) => (existsSync(d) && statSync(d).isDirectory() ? readdirSync(d) : []) },
      { rules, profile: PROFILES.default, today: '2026-01-15' },
    );
    const c = process.cpuUsage(c0);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (i > 0) {
      samples.push((c.user + c.system) / 1e6);
      walls.push(wall);
    }
    walked = w.files.length;
    linted = res.files.length;
  }
  return { seconds: median(samples), wall: median(walls), walked, linted };
}

/** The corpus files of one part-2 format, by the same name and content tests the engine uses. */
function corpusFilesOf(corpus: string, format: 'nginx' | 'k8s' | 'traefik'): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const repo of readdirSync(corpus, { withFileTypes: true })) {
    if (!repo.isDirectory()) continue;
    for (const name of readdirSync(join(corpus, repo.name))) {
      const text = readFileSync(join(corpus, repo.name, name), 'utf8');
      const v = formatByName(name);
      const is = format === 'nginx' ? v === 'nginx' || (v === 'conf' && looksLikeNginx(text)) : format === 'k8s' ? v === 'yaml' && looksLikeK8s(text) : (v === 'yaml' || v === 'toml') && !looksLikeK8s(text) && looksLikeTraefik(text);
      if (is) out.push({ name, text });
    }
  }
  return out;
}

/** files/s per part-2 format: the corpus files of the format, copied 50 times, linted in-process on one core. */
function perFormat(corpus: string, rows: Row[], notes: string[]): void {
  for (const format of ['nginx', 'k8s', 'traefik'] as const) {
    const files = corpusFilesOf(corpus, format);
    if (files.length === 0) {
      notes.push(`no ${format} files in the corpus: per-format row skipped`);
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), `agentsec-bench-${format}-`));
    try {
      for (let i = 0; i < 50; i++) {
        mkdirSync(join(dir, `c${i}`));
        for (const f of files) writeFileSync(join(dir, `c${i}`, f.name), f.text);
      }
      const r = lintInProcess(dir, 3);
      rows.push({ label: `${format}: ${files.length} corpus files x50 in-process, one core (${r.linted} linted)`, value: r.linted / r.seconds, unit: 'files/s' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  nginxLinterSideBySide(corpus, rows, notes);
}

/**
 * The corpus nginx files side by side with `nginx-linter` (a dev dependency of the bench only), both whole commands
 * on the same files. nginx-linter checks one file per run here so that a file it cannot parse (it aborts with a stack
 * trace on templates and some syntax) is counted instead of ending the run.
 */
function nginxLinterSideBySide(corpus: string, rows: Row[], notes: string[]): void {
  const bin = join(ROOT, 'node_modules', 'nginx-linter', 'bin', 'nginx-linter.js');
  if (!existsSync(bin)) {
    notes.push('nginx-linter not installed (npm install): comparison skipped');
    return;
  }
  const files = corpusFilesOf(corpus, 'nginx');
  if (files.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-nginx-linter-'));
  try {
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
    let aborted = 0;
    const t0 = process.hrtime.bigint();
    for (const f of files) {
      const r = spawnSync(process.execPath, [bin, '--include', join(dir, f.name), '--no-follow-includes'], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
      if (!/Validation (failed|succeeded)/i.test(`${r.stdout}${r.stderr}`)) aborted++;
    }
    const theirSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // The same shape for agentsec: one whole command per file, start-up included on both sides.
    const t1 = process.hrtime.bigint();
    for (const f of files) {
      const r = spawnSync(process.execPath, [BIN, 'lint', join(dir, f.name), '--format', 'json'], { encoding: 'utf8' });
      if (![0, 1, 2].includes(r.status ?? -1)) throw new Error(`agentsec lint ${f.name} exited ${r.status}: ${r.stderr}`);
    }
    const ourSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    const theirRate = files.length / theirSeconds;
    const ourRate = files.length / ourSeconds;
    rows.push({ label: `nginx-linter, ${files.length} corpus nginx files, one command each (baseline)`, value: theirRate, unit: 'files/s', ratio: 1 });
    rows.push({ label: `agentsec lint, the same ${files.length} files, one command each`, value: ourRate, unit: 'files/s', ratio: ourRate / theirRate });
    notes.push(`nginx-linter aborted (could not parse) on ${aborted} of ${files.length} files; agentsec parsed them all or reported nginx/parse-error`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lint throughput: the shared corpus and a generated 10,000-file tree, in-process (one core) and end to end;
 * compose files side by side with dclint (docker-compose-linter) on the same files, in the same run.
 */
export const lintBench: Bench = {
  name: 'lint throughput',
  async run() {
    const rows: Row[] = [];
    const notes: string[] = ['in-process rows count this process\'s CPU time (one core), so other load on the machine does not skew them'];
    const corpus = join(ROOT, '..', 'shared', 'corpus');
    if (existsSync(corpus)) {
      const c = lintInProcess(corpus, 5);
      rows.push({ label: `corpus in-process, one core (${c.linted} configs)`, value: c.linted / c.seconds, unit: 'files/s', goal: '>= 1000', pass: c.linted / c.seconds >= 1000 });
      rows.push({ label: 'corpus in-process, wall clock', value: c.linted / c.wall, unit: 'files/s' });
      const t = timeCommand(process.execPath, [BIN, 'lint', corpus, '--format', 'json', '--output', join(tmpdir(), 'agentsec-bench-corpus.json')], { runs: 5, okCodes: [0, 1, 2] });
      rows.push({ label: 'corpus end to end (agentsec lint)', value: t.medianMs, unit: 'ms' });
      perFormat(corpus, rows, notes);
    } else notes.push(`corpus not found at ${corpus}: skipped`);

    const dir = mkdtempSync(join(tmpdir(), 'agentsec-bench-lint-'));
    try {
      const { composeDir } = generateTree(dir, 10_000, 300);
      const g = lintInProcess(dir, 3);
      rows.push({ label: `10k tree in-process, one core (${g.linted} configs)`, value: g.linted / g.seconds, unit: 'configs/s', goal: '>= 1000', pass: g.linted / g.seconds >= 1000 });
      rows.push({ label: `10k tree in-process, one core (${g.walked} files walked)`, value: g.walked / g.seconds, unit: 'files/s' });
      rows.push({ label: '10k tree in-process, wall clock', value: g.linted / g.wall, unit: 'configs/s' });
      const e2e = timeCommand(process.execPath, [BIN, 'lint', dir, '--format', 'json', '--output', join(dir, 'out.json')], { runs: 3, okCodes: [0, 1] });
      rows.push({ label: '10k tree end to end (worker threads past a few dozen files)', value: e2e.medianMs, unit: 'ms', goal: '<= 700 ms', pass: e2e.medianMs <= 700 });

      const composeFiles = 100;
      const ours = timeCommand(process.execPath, [BIN, 'lint', composeDir, '--format', 'json', '--output', join(dir, 'c.json')], { runs: 3, okCodes: [0, 1] });
      const dclintBin = join(ROOT, 'node_modules', 'dclint', 'bin', 'dclint.cjs');
      if (existsSync(dclintBin)) {
        const theirs = timeCommand(process.execPath, [dclintBin, composeDir, '-r', '-f', 'json', '-o', join(dir, 'd.json')], { runs: 1, okCodes: [0, 1] });
        const ourRate = (composeFiles / ours.medianMs) * 1000;
        const theirRate = (composeFiles / theirs.medianMs) * 1000;
        rows.push({ label: `dclint, ${composeFiles} compose files (baseline)`, value: theirRate, unit: 'files/s', ratio: 1 });
        rows.push({ label: `agentsec lint, same ${composeFiles} files`, value: ourRate, unit: 'files/s', ratio: ourRate / theirRate, goal: '>= 50x', pass: ourRate / theirRate >= 50 });
        notes.push('both end to end, start-up included; dclint is a dev dependency of the bench only');
      } else notes.push('dclint not installed (npm install): comparison skipped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { name: this.name, rows, notes };
  },
};
