import { allDirectives, asNginx, effectiveOne, httpServers, isTlsServer } from '../../nginx-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const WEAK_PROTOCOLS = new Set(['sslv2', 'sslv3', 'tlsv1', 'tlsv1.1']);
/** Cipher-string words that enable broken suites when not negated with `!`. */
const WEAK_CIPHER = /^(?:[+-]?)(?:RC4|DES|3DES|DES-CBC3-SHA|MD5|NULL|eNULL|aNULL|EXPORT|EXP|ADH|AECDH|LOW|SEED|IDEA|RC2|PSK)(?:$|-)|(?:^|-)(?:RC4|DES|MD5|NULL|EXPORT|EXP)(?:-|$)/i;

export const rule: Rule = {
  meta: {
    id: 'nginx/weak-tls',
    severity: 'high',
    title: 'nginx allows obsolete TLS versions or weak ciphers',
    rationale: 'SSLv3, TLS 1.0 and TLS 1.1 are broken (POODLE, BEAST) and deprecated by RFC 8996; RC4, DES, 3DES, NULL and EXPORT ciphers are breakable. A client or a downgrade attacker can pick them whenever the server offers them. The strict profile accepts TLS 1.3 only.',
    remediation: 'Set `ssl_protocols TLSv1.2 TLSv1.3;` (strict: `TLSv1.3`) and a modern cipher list (Mozilla intermediate), in the http block or in every TLS server.',
    refs: ['https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_protocols', 'https://ssl-config.mozilla.org/', 'https://www.rfc-editor.org/rfc/rfc8996'],
    anchors: 'G-ng',
    formats: ['nginx'],
    messages: {
      protocol: 'ssl_protocols enables {protocols}',
      cipher: 'ssl_ciphers enables weak suites: {ciphers}',
      defaultStrict: 'TLS server without ssl_protocols: nginx then offers TLS 1.2, below the strict profile\'s TLS 1.3',
    },
  },
  check(doc, ctx) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    const strict = ctx.profile.minTls === '1.3';
    for (const x of allDirectives(d)) {
      if (x.name === 'ssl_protocols') {
        const bad = x.args.filter((a) => WEAK_PROTOCOLS.has(a.value.toLowerCase()) || (strict && a.value.toLowerCase() === 'tlsv1.2')).map((a) => a.value);
        if (bad.length > 0) out.push({ message: fmt(this.meta.messages.protocol, { protocols: bad.join(', ') }), at: x.at, key: `p:${bad.join(',')}` });
      }
      if (x.name === 'ssl_ciphers' || x.name === 'proxy_ssl_ciphers') {
        const words = x.args.flatMap((a) => a.value.split(/[:\s,]+/)).filter((w) => w !== '' && !w.startsWith('!'));
        const bad = words.filter((w) => WEAK_CIPHER.test(w));
        if (bad.length > 0) out.push({ message: fmt(this.meta.messages.cipher, { ciphers: bad.slice(0, 5).join(', ') }), at: x.at, key: `c:${bad.join(',')}` });
      }
    }
    if (strict) {
      for (const s of httpServers(d)) {
        if (isTlsServer(s) && !effectiveOne(d, s, 'ssl_protocols')) out.push({ message: fmt(this.meta.messages.defaultStrict), at: s.at, key: `default:${s.at.line}` });
      }
    }
    return out;
  },
};
