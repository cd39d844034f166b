import { rule } from '../../../../src/lint/rules/agent/default-secret.js';
import { ruleTable } from '../../support.js';

const STRONG = 'f3a9c1e07b5d4e2a8c6f0b1d9e7a5c3b2d4f6e8a0c1b3d5e7f9a2c4e6b8d0f1a';

ruleTable(rule, {
  valid: [
    {
      name: 'cross-file: compose env_file with a strong secret',
      file: 'compose.yaml',
      text: 'services:\n  app:\n    image: app:1\n    env_file: app.env\n',
      extra: { 'app.env': 'JWT_SECRET=9f2c7d1e8b4a6c3f0e5d7b9a1c2e4f6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d8f\n' },
    },
    { name: 'strong hex signing secret', file: '.env', text: `JWT_SECRET=${STRONG}\n` },
    { name: 'empty value in an example file', file: '.env.example', text: 'JWT_SECRET=\nOPENAI_API_KEY=\n' },
    { name: 'compose reference without default', file: 'compose.yaml', text: 'services:\n  app:\n    environment:\n      JWT_SECRET: ${JWT_SECRET}\n' },
    { name: 'compose empty default', file: 'compose.yaml', text: 'services:\n  app:\n    environment:\n      - AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-}\n' },
    { name: 'sibling .env overrides a template default', file: 'compose.yaml', text: 'services:\n  app:\n    environment:\n      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET:-mysecret}\n', extra: { '.env': `NEXTAUTH_SECRET=${STRONG}\n` } },
    { name: 'not a secret name', file: '.env', text: 'LOG_LEVEL=changeme\nPASSWORD_MIN_LENGTH=12\n' },
    { name: 'a key file path', file: 'compose.yaml', text: 'services:\n  app:\n    environment:\n      REDIS_TLS_KEY: ${REDIS_TLS_KEY:-/certs/redis.key}\n' },
    { name: 'strong password (no length rule for passwords)', file: '.env', text: 'POSTGRES_PASSWORD=Zq8-vR2m-Lk5w\n' },
    {
      name: 'cross-file: Docker secrets files with strong values (and a private key)',
      file: 'compose.yaml',
      text: 'services:\n  app:\n    image: app:1\nsecrets:\n  jwt_secret:\n    file: ./secrets/jwt\n  tls_key:\n    file: ./secrets/tls.key\n  missing:\n    file: ./secrets/not-created-yet\n',
      extra: { 'secrets/jwt': `${STRONG}\n`, 'secrets/tls.key': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' },
    },
  ],
  invalid: [
    {
      name: 'cross-file: compose env_file with template secrets, reported in the env file',
      file: 'deploy/compose.yaml',
      text: 'services:\n  app:\n    image: app:1\n    env_file:\n      - app.env\n      - path: missing.env\n        required: false\n',
      extra: { 'deploy/app.env': '# app\nPORT=3000\nJWT_SECRET=changeme\n' },
      at: ['deploy/app.env:3'],
    },
    { name: 'VisionFlow template key', file: '.env.example', text: 'MANAGEMENT_API_KEY=change-this-secret-key\n', at: ['1:20'], message: 'known template' },
    { name: 'langfuse inline default', file: 'docker-compose.yml', text: 'services:\n  web:\n    environment:\n      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET:-mysecret}\n', at: ['4:43'] },
    { name: 'open-webui t0p-s3cr3t in list form', file: 'docker-compose.yml', text: 'services:\n  ui:\n    environment:\n      - WEBUI_SECRET_KEY=t0p-s3cr3t\n', at: ['4:26'] },
    { name: 'empty secret in a deploy .env', file: '.env', text: 'POSTGRES_PASSWORD=\n', at: [1], message: 'empty' },
    { name: 'all-zero encryption key', file: 'compose.yaml', text: 'services:\n  w:\n    environment:\n      ENCRYPTION_KEY: ${ENCRYPTION_KEY:-0000000000000000000000000000000000000000000000000000000000000000}\n', at: [4] },
    { name: 'short signing secret', file: '.env', text: 'SESSION_SECRET=abcdef123456\n', at: [1], message: 'too weak' },
    { name: 'placeholder your_*', file: '.env.example', text: 'GATEWAY_JWT_SECRET=your_jwt_secret_key_at_least_32_chars\n', at: [1] },
    { name: 'value from the sibling .env, placed in the .env', file: 'compose.yaml', text: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${PG_PASS}\n', extra: { '.env': 'PG_PASS=changeme\n' }, at: ['.env:1'] },
    { name: 'TOML settings', file: 'agent.toml', text: '[server]\ntls_enabled = true\n[auth]\njwt_secret = "secret"\n', at: [4] },
    {
      name: 'cross-file: a Docker secrets file holding a default, reported on the compose line that names it',
      file: 'deploy/compose.yaml',
      text: 'services:\n  db:\n    image: postgres:17\nsecrets:\n  db_password:\n    file: secrets/db_password.txt\n  session_secret:\n    file: ./secrets/session\n',
      extra: { 'deploy/secrets/db_password.txt': 'changeme\n', 'deploy/secrets/session': 'abcdef123456\n' },
      at: ['deploy/compose.yaml:6', 'deploy/compose.yaml:8'],
      message: 'secret',
    },
    { name: 'a template file ships its secret to deployments', file: 'compose.yml.template', text: 'services:\n  a:\n    environment:\n      JWT_SECRET: changeme\n', at: [4], message: 'deployments that copy this template run with it' },
    { name: 'sk-1234 key', file: 'compose.yaml', text: 'services:\n  a:\n    environment:\n      OPENAI_API_KEY: sk-1234\n', at: [4] },
  ],
});
