import { rule } from '../../../../src/lint/rules/dockerfile/pipe-without-pipefail.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'set -o pipefail', file: 'Dockerfile', text: 'FROM debian:12\nRUN set -o pipefail && curl -fsSL https://example.com/x.tgz | tar xz\n' },
    { name: 'SHELL with pipefail', file: 'Dockerfile', text: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/x.tgz | tar xz\n' },
    { name: '|| is not a pipe', file: 'Dockerfile', text: 'FROM debian:12\nRUN test -f x || exit 1\n' },
    { name: 'a pipe inside quotes', file: 'Dockerfile', text: 'FROM debian:12\nRUN echo "a|b"\n' },
  ],
  invalid: [
    { name: 'a pipe', file: 'Dockerfile', text: 'FROM debian:12\nRUN curl -fsSL https://example.com/x.tgz | tar xz\n', at: ['2:42'] },
    { name: 'SHELL resets per stage', file: 'Dockerfile', text: 'FROM debian:12 AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM debian:12\nRUN cat x | grep y\n', at: [4] },
  ],
});
