import { isOff, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SWITCH = /^(?:[A-Z0-9]+_)?(?:SECURITY_AUDIT_LOG(?:GING)?|ENABLE_AUDIT_LOG(?:GING)?|AUDIT_LOG(?:GING)?(?:_ENABLED)?|AUDIT(?:_ENABLED)?|AUDIT_TRAIL(?:_ENABLED)?)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/audit-log-disabled',
    severity: 'medium',
    title: 'security audit log switched off',
    rationale: 'Without an audit log there is no record of who authenticated, which keys were used and which tools the agent ran, so an incident can be neither detected nor reconstructed.',
    remediation: 'Keep audit logging on and ship it off the host; `agentsec audit` keeps a tamper-evident chain.',
    refs: ['https://cwe.mitre.org/data/definitions/778.html', 'https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { off: '{setting} turns the audit log off' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) if (SWITCH.test(s.name) && isOff(s.value)) out.push({ message: fmt(this.meta.messages.off, { key: s.key, setting: written(s, s.value ?? ''), value: s.value ?? '' }), at: s.valueAt, key: settingKey(s) });
    return out;
  },
};
