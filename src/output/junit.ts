import { severityRank, type Finding, type LintReport } from '../lint/types.js';

function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Measured durations: the whole run, and each file (display path) from its read to the next file's. */
export interface JunitTiming {
  readonly totalMs: number;
  readonly fileMs: ReadonlyMap<string, number>;
  /** When the run started, ISO 8601. */
  readonly timestamp: string;
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

/**
 * JUnit XML: one testsuite per linted file, one testcase per finding, one passing testcase for a clean file, so CI
 * dashboards show both. A finding is a failure only at or above --fail-on, as the exit code counts it; one below is
 * a passing testcase with its text in system-out. Suites carry the time agentsec spent on the file.
 */
export function renderJunit(r: LintReport, timing?: JunitTiming): string {
  const threshold = severityRank(r.failOn);
  const fails = (f: Finding) => severityRank(f.severity) >= threshold;
  const byFile = new Map<string, Finding[]>();
  for (const f of r.files) byFile.set(f, []);
  for (const f of r.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const files = [...byFile.keys()].sort();
  const detail = (f: Finding) => xml(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}\n${f.message}\nremediation: ${f.remediation}`);
  let failures = 0;
  const suites = files.map((file) => {
    const list = byFile.get(file) ?? [];
    const failing = list.filter(fails).length;
    failures += failing;
    const cases = list.length
      ? list.map((f) =>
          fails(f)
            ? `    <testcase classname="${xml(file)}" name="${xml(`${f.ruleId} ${f.line}:${f.column}`)}" time="0.000">\n      <failure type="${f.severity}" message="${xml(f.message)}">${detail(f)}</failure>\n    </testcase>`
            : `    <testcase classname="${xml(file)}" name="${xml(`${f.ruleId} ${f.line}:${f.column}`)}" time="0.000">\n      <system-out>${detail(f)}\n(below --fail-on ${r.failOn}: not a failure)</system-out>\n    </testcase>`,
        )
      : [`    <testcase classname="${xml(file)}" name="lint" time="${seconds(timing?.fileMs.get(file))}"/>`];
    const stamp = timing ? ` timestamp="${xml(timing.timestamp.replace(/\.\d{3}Z$/, ''))}"` : '';
    return `  <testsuite name="${xml(file)}" tests="${Math.max(1, list.length)}" failures="${failing}" errors="0" skipped="0" time="${seconds(timing?.fileMs.get(file))}"${stamp}>\n${cases.join('\n')}\n  </testsuite>`;
  });
  // A named file that could not be linted is a skipped test case, so a dashboard shows it was not checked.
  const skipped = r.notes.filter((n) => n.kind === 'skipped');
  for (const n of skipped) suites.push(`  <testsuite name="${xml(n.file)}" tests="1" failures="0" errors="0" skipped="1" time="0.000">\n    <testcase classname="${xml(n.file)}" name="lint" time="0.000">\n      <skipped message="${xml(n.message)}"/>\n    </testcase>\n  </testsuite>`);
  const tests = files.reduce((n, f) => n + Math.max(1, byFile.get(f)?.length ?? 0), 0) + skipped.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="agentsec lint" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped.length}" time="${seconds(timing?.totalMs)}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}
