import type { LintDocument, Setting } from '../../document.js';
import { isOff, isPublicPort, isWildcardBind, settingKey } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const ORIGINS = /^(?:[A-Z0-9]+_)?(?:CORS_ALLOWED_ORIGINS?|CORS_ORIGINS?|ALLOWED_ORIGINS?|CORS_ALLOW_ORIGINS?|ACCESS_CONTROL_ALLOW_ORIGIN|OLLAMA_ORIGINS|WS_ALLOWED_ORIGINS|SOCKET_IO_CORS_ORIGIN|ALLOWED_HOSTS_CORS)$/;

function publicBind(doc: LintDocument, s: Setting): boolean {
  if (doc.format === 'compose') {
    const svc = doc.services.find((x) => x.name === s.service);
    return (svc?.ports ?? []).some(isPublicPort);
  }
  return doc.settings.some((o) => /(?:^|_)(?:HOST|BIND|BIND_ADDRESS|LISTEN|LISTEN_ADDRESS|SERVER_HOST)$/.test(o.name) && isWildcardBind(o.value));
}

export const rule: Rule = {
  meta: {
    id: 'agent/wildcard-cors',
    severity: 'high',
    title: 'CORS allows every origin',
    rationale:
      'A wildcard origin lets any web page the operator visits call the agent API from their browser — with their session on credentialed endpoints, or straight into a local Ollama/MCP server (DNS rebinding and drive-by attacks against localhost agents are documented). WebSocket and SSE routes are not protected by CORS at all unless the server checks Origin itself.',
    remediation: 'List the exact origins that need access (`CORS_ALLOWED_ORIGINS=https://agent.example.com`), keep CORS checks on, and check the Origin header on WebSocket/SSE/MCP endpoints.',
    refs: ['https://cwe.mitre.org/data/definitions/942.html', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { wildcard: '{key} allows every origin (*)', disabled: '{key}=false with a public bind leaves cross-origin requests unchecked' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      if (ORIGINS.test(s.name) && v.split(/[\s,;]+/).some((o) => o.trim().replace(/^["']|["']$/g, '') === '*')) {
        out.push({ message: fmt(this.meta.messages.wildcard, { key: s.key }), at: s.valueAt, key: settingKey(s) });
      } else if (/^(?:[A-Z0-9]+_)?CORS_ENABLED$/.test(s.name) && isOff(v) && publicBind(doc, s)) {
        out.push({ message: fmt(this.meta.messages.disabled, { key: s.key }), at: s.valueAt, key: settingKey(s) });
      }
    }
    return out;
  },
};
