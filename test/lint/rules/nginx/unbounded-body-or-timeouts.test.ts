import { rule } from '../../../../src/lint/rules/nginx/unbounded-body-or-timeouts.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'sane body size and timeouts', file: 'site.conf', text: 'server {\n  client_max_body_size 25M;\n  client_body_timeout 30s;\n  location /ws {\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_read_timeout 1h;\n  }\n}\n' },
    { name: 'placeholder timeout', file: 'proxy.conf.template', text: 'proxy_read_timeout ${NGINX_PROXY_READ_TIMEOUT};\nclient_max_body_size ${MAX};\n' },
  ],
  invalid: [
    { name: 'no body limit', file: 'site.conf', text: 'server {\n  client_max_body_size 0;\n}\n', at: ['2:24'], message: 'no limit' },
    { name: 'a gigabyte', file: 'nginx.conf', text: 'http {\n  client_max_body_size 1024M;\n}\n', at: [2] },
    { name: 'slow client timeout', file: 'site.conf', text: 'server {\n  client_header_timeout 10m;\n}\n', at: [2] },
    { name: 'streaming route that never times out', file: 'site.conf', text: 'server {\n  proxy_read_timeout 1d;\n  location /socket.io/ {\n    proxy_set_header Upgrade $http_upgrade;\n  }\n}\n', at: ['3:3'] },
  ],
});
