import { rule } from '../../../../src/lint/rules/traefik/exposed-by-default.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'exposedByDefault false', file: 'traefik.yml', text: 'providers:\n  docker:\n    exposedByDefault: false\n' },
    { name: 'flag false', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - --providers.docker=true\n      - --providers.docker.exposedbydefault=false\n' },
    { name: 'no docker provider', file: 'traefik.yml', text: 'providers:\n  file:\n    directory: /etc/traefik\n' },
  ],
  invalid: [
    { name: 'unset', file: 'traefik.yml', text: 'providers:\n  docker:\n    watch: true\n', at: ['3:12'], message: 'not set' },
    { name: 'flag without exposedbydefault', file: 'compose.yaml', text: 'services:\n  traefik:\n    image: traefik:v3.2\n    command:\n      - --providers.docker=true\n', at: [5] },
    { name: 'true in TOML', file: 'traefik.toml', text: '[providers.docker]\nexposedByDefault = true\n', at: [2] },
  ],
});
