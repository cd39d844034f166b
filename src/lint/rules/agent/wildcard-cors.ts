import type { LintDocument, Setting } from '../../document.js';
import { isOff, isPublicPort, isWildcardBind, settingKey } from '../../rule-helpers.js';
import { traefikModel } from '../../traefik-model.js';
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
      'A wildcard origin lets any web page the operator visits call the agent API from their browser — with their session on credentialed endpoints, or straight into a local Ollama/MCP server (DNS rebinding and drive-by attacks against localhost agents are documented). WebSocket and SSE routes are not protected by CORS at all unless the server checks Origin itself. A Traefik headers middleware with `accessControlAllowOriginList: "*"` does the same for every router that uses it.',
    remediation: 'List the exact origins that need access (`CORS_ALLOWED_ORIGINS=https://agent.example.com`), keep CORS checks on, and check the Origin header on WebSocket/SSE/MCP endpoints.',
    refs: ['https://cwe.mitre.org/data/definitions/942.html', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS'],
    formats: ['env', 'compose', 'settings', 'k8s', 'traefik'],
    messages: { wildcard: '{key} allows every origin (*)', disabled: '{key}=false with a public bind leaves cross-origin requests unchecked', middleware: 'Traefik headers middleware {name} allows every origin ({option})' },
  },
  check(doc) {
    const out: Report[] = [];
    // Traefik's headers middleware, in a dynamic file or in labels: accessControlAllowOriginList "*" (or a regex of any).
    const traefik = traefikModel(doc);
    for (const e of traefik?.entries ?? []) {
      const m = /^http\.middlewares\.([^.]+)\.headers\.(accesscontrolalloworiginlist(?:regex)?)(?:\.\d+)?$/.exec(e.key);
      if (!m) continue;
      const values = e.value.split(',').map((v) => v.trim().replace(/^["']|["']$/g, ''));
      const any = m[2] === 'accesscontrolalloworiginlist' ? values.includes('*') : values.some((v) => /^\^?\.\*\$?$/.test(v));
      if (any) out.push({ message: fmt(this.meta.messages.middleware, { name: m[1] as string, option: m[2] === 'accesscontrolalloworiginlist' ? 'accessControlAllowOriginList: *' : 'accessControlAllowOriginListRegex: .*' }), at: e.at, key: `traefik:${m[1]}` });
    }
    if (doc.format === 'traefik') return out;
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
