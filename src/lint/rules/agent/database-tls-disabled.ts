import type { LintDocument, Setting } from '../../document.js';
import { isInternalHost, isOff, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** A connection URL or DSN that turns TLS off: `sslmode=disable`, `ssl=false`, `useSSL=false`, `ssl-mode=DISABLED`, `tls=false`. */
const URL_OFF = /[?&;\s](?:sslmode=disable|ssl=(?:false|0|off)|usessl=false|ssl-?mode=disabled|tls=(?:false|0|off)|encrypt=(?:false|disable))(?:[&;\s]|$)/i;
/** Client TLS switches of database drivers: `PGSSLMODE=disable`, `DB_SSL=false`, `DATABASE_SSL=false` … */
const MODE_KEY = /^(?:PG|POSTGRES(?:QL)?|DB|DATABASE|MYSQL|MONGO(?:DB)?)_?SSL_?MODE$/;
const SWITCH_KEY = /^(?:POSTGRES(?:QL)?|PG|DB|DATABASE|MYSQL|MONGO(?:DB)?)_(?:SSL|TLS)(?:_ENABLED)?$/;
const HOST_KEY = /^(?:PG|POSTGRES(?:QL)?|DB|DATABASE|MYSQL|MONGO(?:DB)?)_?HOST(?:NAME)?$/;

/** The host of a connection URL or a key=value DSN (`host=db.example.com port=5432 sslmode=disable`). */
function dbHost(v: string): string | undefined {
  const url = /^\s*(?:jdbc:)?[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?,\s]+)/i.exec(v);
  if (url) return url[1];
  return /(?:^|\s)host=([^\s]+)/i.exec(v)?.[1];
}

/** Remote, where the finding matters: not this machine, not a compose service or a private network name, not unknown. */
function remote(host: string | undefined): boolean {
  return host !== undefined && host !== '' && !host.includes('$') && !host.includes('{') && !host.startsWith('/') && !isInternalHost(host);
}

function hostOf(doc: LintDocument, s: Setting): string | undefined {
  return doc.settings.find((o) => o.service === s.service && HOST_KEY.test(o.name))?.value;
}

export const rule: Rule = {
  meta: {
    id: 'agent/database-tls-disabled',
    severity: 'high',
    title: 'database connection to a remote host with TLS off',
    rationale:
      'An agent\'s database holds its memory, conversations and often its users\' API keys; with `sslmode=disable` (or `ssl=false`, `useSSL=false`, `PGSSLMODE=disable`) to a host across the network, the password and every query travel in clear text and anyone on the path can read or alter them. Only remote hosts are reported: a compose service, a private network name, loopback or a socket stays on the host or the private network.',
    remediation: 'Use `sslmode=verify-full` (PostgreSQL), `ssl-mode=VERIFY_IDENTITY` (MySQL) or `tls=true` (MongoDB) with the provider\'s CA, for every connection that leaves the host.',
    refs: ['https://www.postgresql.org/docs/current/libpq-ssl.html', 'https://dev.mysql.com/doc/refman/8.4/en/using-encrypted-connections.html', 'https://cwe.mitre.org/data/definitions/319.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { url: '{key} connects to {host} with TLS off', mode: '{setting} for the database at {host}' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined) continue;
      if (URL_OFF.test(` ${v}`) && /(?:[a-z]+:\/\/|host=)/i.test(v)) {
        const host = dbHost(v);
        if (remote(host)) out.push({ message: fmt(this.meta.messages.url, { key: s.key, host: host ?? '' }), at: s.valueAt, key: settingKey(s) });
      } else if ((MODE_KEY.test(s.name) && /^disable$/i.test(v.trim())) || (SWITCH_KEY.test(s.name) && isOff(v))) {
        const host = hostOf(doc, s);
        if (remote(host)) out.push({ message: fmt(this.meta.messages.mode, { setting: written(s, v), host: host ?? '' }), at: s.valueAt, key: settingKey(s) });
      }
    }
    return out;
  },
};
