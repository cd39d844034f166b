import { isOff, settingKey, written } from '../../rule-helpers.js';
import { traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SWITCH = /^(?:[A-Z0-9]+_)?(?:SECURITY_AUDIT_LOG(?:GING)?|ENABLE_AUDIT_LOG(?:GING)?|AUDIT_LOG(?:GING)?(?:_ENABLED)?|AUDIT(?:_ENABLED)?|AUDIT_TRAIL(?:_ENABLED)?)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/audit-log-disabled',
    severity: 'medium',
    title: 'security audit log switched off',
    rationale: 'Without an audit log there is no record of who authenticated, which keys were used and which tools the agent ran, so an incident can be neither detected nor reconstructed. Traefik\'s `--accesslog=false` switches off the proxy\'s record of every request to the agents behind it.',
    remediation: 'Keep audit logging on and ship it off the host; `agentsec audit` keeps a tamper-evident chain.',
    refs: ['https://cwe.mitre.org/data/definitions/778.html', 'https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/'],
    formats: ['env', 'compose', 'settings', 'k8s', 'traefik'],
    messages: { off: '{setting} turns the audit log off', accesslog: 'Traefik {key}={value} turns the access log off: no record of who called the agents behind it' },
  },
  check(doc) {
    const out: Report[] = [];
    // Traefik's access log (`--accesslog=false`, `accessLog: false`): the proxy's record of every request.
    for (const e of traefikModel(doc)?.entries ?? []) if (e.key === 'accesslog' && isOff(e.value)) out.push({ message: fmt(this.meta.messages.accesslog, { key: e.key === 'accesslog' && doc.format === 'compose' ? '--accesslog' : 'accessLog', value: e.value.trim() }), at: e.at, key: 'traefik:accesslog' });
    if (doc.format === 'traefik') return out;
    for (const s of doc.settings) if (SWITCH.test(s.name) && isOff(s.value)) out.push({ message: fmt(this.meta.messages.off, { key: s.key, setting: written(s, s.value ?? ''), value: s.value ?? '' }), at: s.valueAt, key: settingKey(s) });
    return out;
  },
};
