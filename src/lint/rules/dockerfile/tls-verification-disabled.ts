import { locateIn } from '../../parse/dockerfile.js';
import { shellText } from '../../dockerfile-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const PATTERNS: ReadonlyArray<{ re: RegExp; what: string }> = [
  { re: /\bcurl\b[^|;&\n]*?\s(?:-[a-zA-Z]*k[a-zA-Z]*|--insecure)(?=\s|$)/, what: 'curl -k/--insecure' },
  { re: /\bwget\b[^|;&\n]*--no-check-certificate/, what: 'wget --no-check-certificate' },
  { re: /NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*["']?0/, what: 'NODE_TLS_REJECT_UNAUTHORIZED=0' },
  { re: /GIT_SSL_NO_VERIFY\s*=\s*["']?(?:1|true)|\bGIT_SSL_NO_VERIFY\b/, what: 'GIT_SSL_NO_VERIFY' },
  { re: /http\.sslVerify\s+(?:false|0)/i, what: 'git http.sslVerify false' },
  { re: /PIP_TRUSTED_HOST|--trusted-host\b/, what: 'pip --trusted-host' },
  { re: /\b(?:npm|yarn|pnpm)\b[^;&|\n]*\bstrict-ssl\b\s*(?:=\s*)?false/, what: 'npm strict-ssl false' },
  { re: /NPM_CONFIG_STRICT_SSL\s*=\s*["']?false/i, what: 'NPM_CONFIG_STRICT_SSL=false' },
  { re: /PYTHONHTTPSVERIFY\s*=\s*["']?0/, what: 'PYTHONHTTPSVERIFY=0' },
  { re: /--no-verify-ssl\b|sslverify\s*=\s*(?:0|false)/i, what: 'SSL verification switched off' },
  { re: /\bapk\b[^;&|\n]*--allow-insecure|Acquire::https::Verify-Peer\s+"?false/i, what: 'package manager TLS verification off' },
];

export const rule: Rule = {
  meta: {
    id: 'dockerfile/tls-verification-disabled',
    severity: 'high',
    title: 'TLS certificate verification switched off',
    rationale: 'Downloading with verification off lets anyone on the path (a café Wi-Fi, a compromised proxy, the CI network) replace what gets installed in the image; set in ENV, it also switches verification off for the running application.',
    remediation: 'Remove the flag; if a corporate proxy re-signs TLS, install its CA certificate in the image (`COPY ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates`).',
    refs: ['https://cwe.mitre.org/data/definitions/295.html'],
    anchors: 'C',
    formats: ['dockerfile'],
    messages: { off: '{kind} switches TLS verification off ({what})' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const i of doc.instructions) {
      if (i.keyword !== 'RUN' && i.keyword !== 'ENV' && i.keyword !== 'ARG') continue;
      const text = i.keyword === 'RUN' ? shellText(i) : i.rest;
      for (const p of PATTERNS) {
        if (!p.re.test(text)) continue;
        out.push({ message: fmt(this.meta.messages.off, { kind: i.keyword, what: p.what }), at: locateIn(i, p.re), key: `${i.keyword}:${p.what}` });
        break;
      }
    }
    return out;
  },
};
