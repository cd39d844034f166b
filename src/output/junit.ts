import type { Finding, LintReport } from '../lint/types.js';

function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML: one testsuite per linted file, one failing testcase per finding, one passing testcase for a clean
 * file, so CI dashboards show both.
 */
export function renderJunit(r: LintReport): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of r.files) byFile.set(f, []);
  for (const f of r.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const files = [...byFile.keys()].sort();
  const suites = files.map((file) => {
    const list = byFile.get(file) ?? [];
    const cases = list.length
      ? list.map((f) => `    <testcase classname="${xml(file)}" name="${xml(`${f.ruleId} ${f.line}:${f.column}`)}">\n      <failure type="${f.severity}" message="${xml(f.message)}">${xml(`${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}\n${f.message}\nremediation: ${f.remediation}`)}</failure>\n    </testcase>`)
      : [`    <testcase classname="${xml(file)}" name="lint"/>`];
    return `  <testsuite name="${xml(file)}" tests="${Math.max(1, list.length)}" failures="${list.length}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  // A named file that could not be linted is a skipped test case, so a dashboard shows it was not checked.
  const skipped = r.notes.filter((n) => n.kind === 'skipped');
  for (const n of skipped) suites.push(`  <testsuite name="${xml(n.file)}" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="${xml(n.file)}" name="lint">\n      <skipped message="${xml(n.message)}"/>\n    </testcase>\n  </testsuite>`);
  const tests = files.reduce((n, f) => n + Math.max(1, byFile.get(f)?.length ?? 0), 0) + skipped.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="agentsec lint" tests="${tests}" failures="${r.findings.length}" errors="0" skipped="${skipped.length}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}
