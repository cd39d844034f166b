import { isPublicPort, isWildcardBind, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const ADMIN_HOST = /^(?:MANAGEMENT|ADMIN|CONTROL|INTERNAL)(?:_API)?_(?:HOST|BIND|BIND_ADDRESS|LISTEN|ADDR|ADDRESS)$/;
const ADMIN_PORT = /^(?:MANAGEMENT|ADMIN|CONTROL|INTERNAL)(?:_API)?_PORT$/;

export const rule: Rule = {
  meta: {
    id: 'agent/admin-api-exposed',
    severity: 'high',
    title: 'management/admin API bound to all interfaces',
    rationale: 'Management APIs start and stop agents, change their configuration and read their credentials; they are meant for the operator on the host or a private network. Bound to 0.0.0.0 and published, they are one leaked or default key away from full control.',
    remediation: 'Bind the management API to 127.0.0.1 (`MANAGEMENT_API_HOST=127.0.0.1`) or a private interface, do not publish its port, and reach it over SSH or a VPN.',
    refs: ['https://cwe.mitre.org/data/definitions/668.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    supersedes: ['compose/port-all-interfaces', 'agent/port-exposed'],
    messages: { bound: '{setting} exposes the management API on all interfaces', published: 'service {service} publishes its management API port {port}' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      if (ADMIN_HOST.test(s.name) && isWildcardBind(s.value) && s.value !== '') out.push({ message: fmt(this.meta.messages.bound, { key: s.key, setting: written(s, s.value ?? ''), value: s.value ?? '' }), at: s.valueAt, key: settingKey(s) });
    }
    if (doc.format === 'compose') {
      for (const svc of doc.services) {
        const ports = new Set(svc.environment.filter((e) => ADMIN_PORT.test(e.name) && e.value && /^\d+$/.test(e.value)).map((e) => Number(e.value)));
        for (const p of svc.ports) if (isPublicPort(p) && p.containerPort !== undefined && ports.has(p.containerPort)) out.push({ message: fmt(this.meta.messages.published, { service: svc.name, port: p.raw }), at: p.at, key: `${svc.name}:${p.containerPort}` });
      }
    }
    return out;
  },
};
