import { settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const LIMIT = /^(?:WS|TCP|WEBSOCKET|SSE|MCP)_MAX_CONNECTIONS$|^MAX_(?:WS|TCP|WEBSOCKET|SSE)_CONNECTIONS$/;

export const rule: Rule = {
  meta: {
    id: 'agent/no-connection-limit',
    severity: 'low',
    title: 'no limit on concurrent WebSocket/TCP connections',
    rationale: 'Agent servers keep long-lived WebSocket, SSE and MCP connections; without a cap a single client can hold thousands open and exhaust file descriptors and memory.',
    remediation: 'Set `WS_MAX_CONNECTIONS`/`TCP_MAX_CONNECTIONS` to what the deployment needs (a few hundred is typical) and cap per-IP connections at the proxy.',
    refs: ['https://cwe.mitre.org/data/definitions/770.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { zero: '{setting} does not limit connections', unset: 'agent-server settings with WebSocket/TCP listeners but no WS_MAX_CONNECTIONS/TCP_MAX_CONNECTIONS' },
  },
  check(doc) {
    const out: Report[] = [];
    let seen = false;
    let listeners = false;
    for (const s of doc.settings) {
      if (/^(?:WS|TCP|WEBSOCKET)_/.test(s.name)) listeners = true;
      if (!LIMIT.test(s.name)) continue;
      seen = true;
      const v = s.value?.trim();
      if (v !== undefined && /^-?\d+$/.test(v) && Number(v) <= 0) out.push({ message: fmt(this.meta.messages.zero, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
    }
    const first = doc.settings[0];
    if (!seen && listeners && doc.format !== 'compose' && doc.agentServer && first) out.push({ message: this.meta.messages.unset as string, at: first.at, key: 'unset:MAX_CONNECTIONS' });
    return out;
  },
};
