import type { Ctx } from '../../cli/context.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { allMetas, metaById } from '../../lint/registry.js';

/** Prints a rule's rationale, remediation and references. */
export async function runLintExplain(ctx: Ctx, id: string): Promise<number> {
  const m = metaById(id);
  if (!m) {
    const near = allMetas().filter((x) => x.id.includes(id) || id.includes(x.id.split('/')[1] ?? '\0')).map((x) => x.id);
    throw usageError(`unknown rule '${id}'${near.length ? `: did you mean ${near.slice(0, 3).join(', ')}?` : ''} (see agentsec lint rules)`);
  }
  if (ctx.out.json) {
    ctx.out.document({ rule: { id: m.id, severity: m.severity, default: m.defaultOff ? 'off' : 'on', title: m.title, formats: m.formats, rationale: m.rationale, remediation: m.remediation, refs: m.refs, ...(m.anchors ? { anchors: m.anchors } : {}) } });
    return ExitCode.Ok;
  }
  const c = ctx.out.chalk;
  const lines = [
    `${c.bold(m.id)} — ${m.title}`,
    `severity: ${m.severity}${m.defaultOff ? ' (off by default; on in the strict profile)' : ''}    formats: ${m.formats.join(', ')}${m.anchors ? `    anchors: ${m.anchors}` : ''}`,
    '',
    c.bold('Why'),
    m.rationale,
    '',
    c.bold('Fix'),
    m.remediation,
    ...(m.refs.length ? ['', c.bold('References'), ...m.refs.map((r) => `  ${r}`)] : []),
    '',
    c.bold('Suppress'),
    `  inline: # agentsec-ignore ${m.id} -- <reason>`,
    `  .agentsec.yaml: rules: { ${m.id}: off }`,
  ];
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.Ok;
}
