import { rule } from '../../../../src/lint/rules/compose/datastore-port-published.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'not published', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n' },
    { name: 'a port range is not ClickHouse/MinIO, Portainer on 9000 is not MinIO', file: 'compose.yaml', text: 'services:\n  tools:\n    build: .\n    ports:\n      - "8000-9100:8000-9100"\n  portainer:\n    image: portainer/portainer-ce:2.21.4\n    ports:\n      - "9000:9000"\n  php:\n    image: acme/app:1\n    ports:\n      - "9000:9000"\n' },
    { name: 'loopback', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n    ports:\n      - 127.0.0.1:8123:8123\n' },
  ],
  invalid: [
    { name: 'postgres on another host port', file: 'compose.yaml', text: 'services:\n  db:\n    image: postgres:17\n    ports:\n      - "8432:5432"\n', at: ['5:9'], message: 'PostgreSQL' },
    { name: 'interpolated host port (letta)', file: 'compose.yaml', text: 'services:\n  db:\n    ports:\n      - "${LETTA_PG_PORT:-5432}:5432"\n', at: [4] },
    { name: 'MinIO by image, or by its service name: one finding listing both ports', file: 'compose.yaml', text: 'services:\n  s3:\n    image: minio/minio:RELEASE.2025-01-20T14-49-07Z\n    ports:\n      - "9000:9000"\n      - "9001:9001"\n  minio:\n    image: pgsty/silo:latest\n    ports:\n      - 9000:9000\n', at: [5, 10], message: 'publishes MinIO port' },
    { name: 'ClickHouse by image', file: 'compose.yaml', text: 'services:\n  ch:\n    image: clickhouse/clickhouse-server:24.8\n    ports:\n      - "9000:9000"\n      - "8123:8123"\n', at: [5], message: 'ClickHouse ports 9000:9000, 8123:8123' },
    { name: 'qdrant and redis', file: 'compose.yaml', text: 'services:\n  q:\n    ports:\n      - 6333:6333\n  r:\n    ports:\n      - 6379:6379\n', at: [4, 7] },
  ],
});
