import type { Ctx } from '../../cli/context.js';
import { ExitCode } from '../../core/errors.js';
import { ENGINE_METAS } from '../../lint/builtin.js';
import { RULES } from '../../lint/registry.js';
import type { Severity } from '../../lint/types.js';

export interface RuleRow {
  readonly id: string;
  readonly severity: Severity;
  readonly default: 'on' | 'off';
  readonly title: string;
}

/** Every rule: id, severity, on/off by default, title. */
export function ruleRows(): RuleRow[] {
  return [...RULES.map((r) => r.meta), ...ENGINE_METAS].map((m) => ({ id: m.id, severity: m.severity, default: m.defaultOff ? 'off' : 'on', title: m.title }));
}

export async function runLintRules(ctx: Ctx): Promise<number> {
  const rows = ruleRows();
  if (ctx.out.json) {
    ctx.out.document({ rules: rows });
    return ExitCode.Ok;
  }
  ctx.out.table(
    [
      { header: 'ID', value: (r: RuleRow) => r.id, keep: true },
      { header: 'SEVERITY', value: (r: RuleRow) => r.severity, keep: true },
      { header: 'DEFAULT', value: (r: RuleRow) => r.default, drop: 1 },
      { header: 'TITLE', value: (r: RuleRow) => r.title, wrap: true, min: 16 },
    ],
    rows,
  );
  return ExitCode.Ok;
}
