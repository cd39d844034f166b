import { rule } from '../../../../src/lint/rules/dockerfile/add-instead-of-copy.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'local tarball', file: 'Dockerfile', text: 'FROM alpine:3.20\nADD rootfs.tar.gz /\n' },
    { name: 'URL with checksum', file: 'Dockerfile', text: 'FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /x.tar.gz\n' },
    { name: 'COPY', file: 'Dockerfile', text: 'FROM alpine:3.20\nCOPY . /app\n' },
  ],
  invalid: [
    { name: 'plain directory (mcp fetch)', file: 'Dockerfile', text: 'FROM python:3.12\nADD . /app\n', at: ['2:1'], message: 'use COPY' },
    { name: 'URL', file: 'Dockerfile', text: 'FROM alpine:3.20\nADD https://example.com/tool /usr/bin/tool\n', at: [2], message: 'checksum' },
  ],
});
