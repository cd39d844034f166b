import type { LintDocument, Setting } from '../../document.js';
import { isLoopback, isOff, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SWITCH = /^(?:SERVER_|API_|WS_|HTTP_|APP_)?(?:SSL|TLS|HTTPS)(?:_ENABLED)?$|^(?:ENABLE|USE)_(?:SSL|TLS|HTTPS)$/;
const MIN_VERSION = /^(?:TLS_MIN_VERSION|MIN_TLS_VERSION|TLS_MIN|SSL_MIN_VERSION|MIN_TLS|TLS_VERSION|SSL_PROTOCOLS|TLS_PROTOCOLS)$/;
/** A datastore client's TLS switch (REDIS_TLS_ENABLED) is about an internal hop, not the agent's own listener. */
const CLIENT_SIDE = /(?:REDIS|POSTGRES|PG|DB|DATABASE|MYSQL|MONGO|CLICKHOUSE|SMTP|MAIL|EMAIL|KAFKA|AMQP|RABBIT|ELASTIC|S3|MINIO|LDAP|NATS)/;

function loopbackBind(doc: LintDocument, s: Setting): boolean {
  return doc.settings.some((o) => o.service === s.service && /(?:^|_)(?:HOST|BIND|BIND_ADDRESS|LISTEN|LISTEN_ADDRESS)$/.test(o.name) && !CLIENT_SIDE.test(o.path) && isLoopback(o.value));
}

/** `1.2`, `TLSv1.2`, `tls1_2`, `TLSv1.2 TLSv1.3` → the lowest version named, as a number (1.2). */
function lowestTls(v: string): number | undefined {
  const versions = [...v.matchAll(/(?:tls|ssl)?v?\s*(\d)[._](\d)/gi)].map((m) => Number(`${m[1]}.${m[2]}`));
  if (/sslv3/i.test(v)) versions.push(0.3);
  return versions.length ? Math.min(...versions) : undefined;
}

export const rule: Rule = {
  meta: {
    id: 'agent/tls-disabled',
    severity: 'high',
    title: 'TLS switched off or too old on a non-loopback listener',
    rationale:
      'Without TLS, API keys, session cookies, prompts and tool results cross the network in clear text. TLS 1.0/1.1 are deprecated (RFC 8996); the strict profile also refuses 1.2, where 1.3 removes legacy cipher negotiation.',
    remediation: 'Turn TLS on (`TLS_ENABLED=true` with a certificate) or terminate TLS at a reverse proxy and bind the server to 127.0.0.1; set the minimum version to 1.2 (1.3 under the strict profile).',
    refs: ['https://www.rfc-editor.org/rfc/rfc8996', 'https://cwe.mitre.org/data/definitions/319.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { off: '{setting} with a non-loopback bind', old: '{key} allows TLS {version}, below {min}' },
  },
  check(doc, ctx) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined || CLIENT_SIDE.test(s.path)) continue;
      if (SWITCH.test(s.name) && isOff(v) && !loopbackBind(doc, s)) {
        out.push({ message: fmt(this.meta.messages.off, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      } else if (MIN_VERSION.test(s.name)) {
        const lowest = lowestTls(v);
        const min = Number(ctx.profile.minTls);
        if (lowest !== undefined && lowest < min) out.push({ message: fmt(this.meta.messages.old, { key: s.key, version: lowest.toFixed(1), min: ctx.profile.minTls }), at: s.valueAt, key: settingKey(s) });
      }
    }
    return out;
  },
};
