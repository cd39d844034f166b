import { rule } from '../../../../src/lint/rules/nginx/weak-tls.js';
import { ruleTable } from '../../support.js';

const tls = (extra: string): string => `server {\n  listen 443 ssl;\n  ssl_certificate /c.pem;\n${extra}}\n`;

ruleTable(rule, {
  valid: [
    { name: 'TLS 1.2 and 1.3', file: 'site.conf', text: tls('  ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:!aNULL:!MD5;\n') },
    { name: 'default protocols under the default profile', file: 'site.conf', text: tls('') },
    { name: 'TLS 1.3 only under strict', file: 'site.conf', text: tls('  ssl_protocols TLSv1.3;\n'), profile: 'strict' },
    { name: 'strict, protocols inherited from http', file: 'nginx.conf', text: `http {\n  ssl_protocols TLSv1.3;\n${tls('')}}\n`, profile: 'strict' },
  ],
  invalid: [
    { name: 'TLS 1.0 and 1.1', file: 'site.conf', text: tls('  ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n'), at: ['4:3'], message: 'TLSv1, TLSv1.1' },
    { name: 'SSLv3 in http', file: 'nginx.conf', text: 'http {\n  ssl_protocols SSLv3 TLSv1.2;\n}\n', at: [2] },
    { name: 'RC4 and 3DES ciphers', file: 'site.conf', text: tls('  ssl_ciphers "RC4-SHA:DES-CBC3-SHA:ECDHE-RSA-AES128-GCM-SHA256";\n'), at: [4], message: 'RC4-SHA' },
    { name: 'TLS 1.2 under strict', file: 'site.conf', text: tls('  ssl_protocols TLSv1.2 TLSv1.3;\n'), profile: 'strict', at: [4] },
    { name: 'no ssl_protocols under strict', file: 'site.conf', text: tls(''), profile: 'strict', at: ['1:1'] },
  ],
});
