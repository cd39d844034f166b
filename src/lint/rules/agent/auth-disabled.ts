import { commandText, redisHasPassword } from '../../compose-helpers.js';
import { knownServer } from '../../known-servers.js';
import { isOff, isOn, isPublicPort, isWildcardBind, parseImage, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const OFF_MEANS_DISABLED = /^(?:WS_|MCP_|API_|SERVER_|WEBUI_)?AUTH(?:ENTICATION)?(?:_ENABLED)?$|^ENABLE_AUTH(?:ENTICATION)?$|^REQUIRE_AUTH(?:ENTICATION)?$|^XPACK_SECURITY_ENABLED$|^WEBUI_AUTH$|^(?:SECURITY_)?AUTHORI[ZS]ATION_ENABLED$/;
const ON_MEANS_DISABLED = /^(?:DISABLE_AUTH(?:ENTICATION)?|AUTH(?:ENTICATION)?_DISABLED|NO_AUTH|SKIP_AUTH|ANONYMOUS_ACCESS|ANONYMOUS_MODE|ANONYMOUS_AUTH|ALLOW_ANONYMOUS(?:_ACCESS)?|AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED|INSECURE_NO_AUTH)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/auth-disabled',
    severity: 'critical',
    title: 'authentication switched off',
    rationale:
      'With authentication off, anyone who reaches the port drives the agent: its tools, its LLM keys, its memory. Agent servers and their datastores (MongoDB `--noauth`, Elasticsearch without xpack security, Redis without `requirepass`) are routinely found open on the internet this way. Read wherever it is said: env and compose `environment:`, nested settings (`server.auth.enabled: false`), command-line flags (`--no-auth`, `--disable-auth`, `--anonymous-mode` in compose `command:` or Kubernetes `args`), and the config files of servers that are open unless told otherwise (Qdrant without `service.api_key`, vLLM without `api-key`, LiteLLM without `general_settings.master_key`, all listening on 0.0.0.0 by default).',
    remediation: 'Turn authentication on (`WEBUI_AUTH=True`, `AUTH_ENABLED=true`, `xpack.security.enabled=true`, `redis-server --requirepass ${REDIS_PASSWORD}`); for a local-only setup bind the port to 127.0.0.1 instead.',
    refs: ['https://cwe.mitre.org/data/definitions/306.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { setting: '{setting} turns authentication off', noauth: 'service {service} starts mongod with --noauth', redis: 'service {service} publishes Redis without requirepass', unauthenticated: '{what} configuration without {fix} listens on {bind}: anyone who reaches it is let in' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      // Elasticsearch's `xpack.security.enabled`, flat or nested, whatever section holds it.
      const name = /XPACK_SECURITY_ENABLED$/.test(s.path) ? 'XPACK_SECURITY_ENABLED' : s.name;
      if ((OFF_MEANS_DISABLED.test(name) && isOff(v)) || (ON_MEANS_DISABLED.test(name) && isOn(v))) {
        out.push({ message: fmt(this.meta.messages.setting, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      }
    }
    // A known server's own config file that never switches its authentication on (Qdrant without service.api_key).
    const known = doc.format === 'settings' ? knownServer(doc.settings) : undefined;
    const first = doc.settings[0];
    if (known && !known.authenticated && isWildcardBind(known.bind) && first) out.push({ message: fmt(this.meta.messages.unauthenticated, { what: known.what, fix: known.fix, bind: known.bind }), at: first.at, key: `known:${known.what}` });
    if (doc.format === 'compose') {
      for (const svc of doc.services) {
        const cmd = commandText(svc);
        if (/--noauth\b/.test(cmd)) out.push({ message: fmt(this.meta.messages.noauth, { service: svc.name }), at: svc.keyAt('command') ?? svc.at, key: `${svc.name}:noauth` });
        const img = svc.image?.value ?? svc.image?.raw;
        if (img && /^(?:redis|redis-stack|redis-stack-server|valkey|keydb)$/.test(parseImage(img).name)) {
          const published = svc.ports.filter(isPublicPort);
          if (published.length > 0 && !redisHasPassword(svc)) {
            out.push({ message: fmt(this.meta.messages.redis, { service: svc.name }), at: published[0]?.at ?? svc.at, key: `${svc.name}:redis` });
          }
        }
      }
    }
    return out;
  },
};
