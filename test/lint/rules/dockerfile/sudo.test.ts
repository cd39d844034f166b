import { rule } from '../../../../src/lint/rules/dockerfile/sudo.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [{ name: 'installing sudo is not using it', file: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get install -y sudo\n' }],
  invalid: [
    { name: 'sudo after &&', file: 'Dockerfile', text: 'FROM debian:12\nUSER app\nRUN echo hi && sudo apt-get update\n', at: ['3:16'] },
    { name: 'a NOPASSWD sudoers line, in a continuation and in a heredoc', file: 'Dockerfile', text: 'FROM debian:12\nRUN useradd -m agent && \\\n    echo "agent ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/agent\nRUN <<EOF\necho \'%wheel ALL=(ALL) NOPASSWD: ALL\' >> /etc/sudoers\nEOF\n', at: ['3:27', 5], message: 'passwordless sudo' },
  ],
});
