import { rule } from '../../../../src/lint/rules/dockerfile/password-in-run.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'user without password', file: 'Dockerfile', text: 'FROM debian:12\nRUN useradd -r -u 10001 app\n' },
    { name: 'password from a secret mount', file: 'Dockerfile', text: 'FROM debian:12\nRUN --mount=type=secret,id=pw tool --password="$(cat /run/secrets/pw)"\n' },
  ],
  invalid: [
    { name: 'chpasswd', file: 'Dockerfile', text: 'FROM debian:12\nRUN echo "root:toor" | chpasswd\n', at: ['2:24'] },
    { name: 'mysql -p', file: 'Dockerfile', text: 'FROM mysql:8\nRUN mysql -uroot -psecret123 -e "select 1"\n', at: [2] },
  ],
});
