import { rule } from '../../../../src/lint/rules/dockerfile/ssh-exposed.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'ssh client and port 2222', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get install -y openssh-client\nEXPOSE 2222 8080\n' }],
  invalid: [
    { name: 'EXPOSE 22', file: 'Dockerfile', text: 'FROM debian:12\nEXPOSE 8080 22/tcp\n', at: ['2:1'] },
    { name: 'openssh-server', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get update && apt-get install -y openssh-server\n', at: [2] },
  ],
});
