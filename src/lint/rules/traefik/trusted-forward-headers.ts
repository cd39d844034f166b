import { isTrueValue, traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'traefik/trusted-forward-headers',
    severity: 'medium',
    title: 'Traefik trusts client-supplied forwarding headers or skips TLS verification',
    rationale: 'forwardAuth with trustForwardHeader (or an entry point with forwardedHeaders.insecure) passes the client\'s own X-Forwarded-* headers to the auth service, which may then trust a spoofed client IP, host or scheme. insecureSkipVerify accepts any certificate from backends, so a network attacker can impersonate them.',
    remediation: 'Leave `trustForwardHeader` false unless a trusted proxy sits in front (then use `forwardedHeaders.trustedIPs`); remove `insecureSkipVerify` and give backends certificates Traefik can verify (`serversTransport.rootCAs`).',
    refs: ['https://doc.traefik.io/traefik/middlewares/http/forwardauth/#trustforwardheader', 'https://doc.traefik.io/traefik/routing/entrypoints/#forwarded-headers', 'https://doc.traefik.io/traefik/routing/overview/#insecureskipverify'],
    formats: ['traefik', 'compose'],
    messages: { trust: '{key} is true', skip: '{key} is true: backend certificates are not verified' },
  },
  check(doc) {
    const m = traefikModel(doc);
    if (!m) return [];
    const out: Report[] = [];
    for (const e of m.entries) {
      if (!isTrueValue(e.value)) continue;
      if (/\.forwardauth\.trustforwardheader$|^entrypoints\.[^.]+\.forwardedheaders\.insecure$|^entrypoints\.[^.]+\.proxyprotocol\.insecure$/.test(e.key)) out.push({ message: fmt(this.meta.messages.trust, { key: e.key }), at: e.at, key: e.key });
      else if (/(?:^|\.)insecureskipverify$/.test(e.key)) out.push({ message: fmt(this.meta.messages.skip, { key: e.key }), at: e.at, key: e.key });
    }
    return out;
  },
};
