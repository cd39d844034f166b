import { rule } from '../../../../src/lint/rules/agent/database-tls-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'TLS off to a compose service, a private address, loopback or a socket', file: '.env', text: 'DATABASE_URL=postgresql://app:x@db:5432/app?sslmode=disable\nPG_URL=postgres://app:x@10.0.0.7/app?sslmode=disable\nLOCAL=postgres://app@localhost/app?sslmode=disable\nSOCK=postgresql:///app?host=/var/run/postgresql&sslmode=disable\n' },
    { name: 'TLS verified to a managed database', file: '.env', text: 'DATABASE_URL=postgresql://app:x@app.cluster-abc.eu-west-1.rds.amazonaws.com:5432/app?sslmode=verify-full\n' },
    { name: 'PGSSLMODE=disable with an internal host', file: 'compose.yaml', text: 'services:\n  api:\n    environment:\n      PGHOST: postgres\n      PGSSLMODE: disable\n' },
    { name: 'host unknown at lint time', file: '.env', text: 'DATABASE_URL=postgresql://app:x@${DB_HOST}:5432/app?sslmode=disable\n' },
  ],
  invalid: [
    { name: 'sslmode=disable to a managed database', file: '.env', text: 'DATABASE_URL=postgresql://app:x@app.cluster-abc.eu-west-1.rds.amazonaws.com:5432/app?sslmode=disable\n', at: ['1:14'], message: 'connects to app.cluster-abc.eu-west-1.rds.amazonaws.com with TLS off' },
    { name: 'MySQL useSSL=false, a key=value DSN, Mongo tls=false', file: '.env', text: 'JDBC_URL=jdbc:mysql://db.example.com:3306/app?useSSL=false\nPG_DSN=host=pg.example.com port=5432 dbname=app sslmode=disable\nMONGO_URI=mongodb://u:p@mongo.example.net:27017/app?tls=false\n', at: [1, 2, 3] },
    { name: 'PGSSLMODE=disable and DB_SSL=false for a remote host', file: 'compose.yaml', text: 'services:\n  api:\n    environment:\n      PGHOST: db.example.com\n      PGSSLMODE: disable\n  worker:\n    environment:\n      DB_HOST: 203.0.113.10\n      DB_SSL: "false"\n', at: [5, 9], message: 'for the database at' },
  ],
});
