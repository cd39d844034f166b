import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintMemory } from './support.js';

const BASE = 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    ports:\n      - "127.0.0.1:11434:11434"\n  web:\n    image: ghcr.io/open-webui/open-webui:v0.6.5\n    read_only: true\n';
const OVERRIDE = 'services:\n  web:\n    privileged: true\n    healthcheck:\n      test: ["CMD", "true"]\n';
const GPU = 'services:\n  ollama:\n    devices:\n      - /dev/nvidia0:/dev/nvidia0\n    labels:\n      - traefik.enable=true\n';

const at = (r: ReturnType<typeof lintMemory>): string[] => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

describe('compose files merged as Compose merges them', () => {
  it('an overlay that only adds devices and labels reports what it adds, not the base again', () => {
    const got = at(lintMemory({ 'compose.yaml': BASE, 'docker-compose.gpu.yml': GPU }, { walk: ['docker-compose.gpu.yml'] }));
    assert.deepEqual(got, ['docker-compose.gpu.yml:4 compose/device-passthrough']);
  });

  it('a base runs with its compose.override.yaml: what the override fixes is fixed, what it breaks is reported in it', () => {
    const got = at(lintMemory({ 'compose.yaml': BASE, 'compose.override.yaml': OVERRIDE }));
    // web gets its healthcheck from the override, and its privileged: true is reported in the override.
    assert.ok(!got.includes('compose.yaml:6 compose/no-healthcheck'), got.join('\n'));
    assert.ok(got.includes('compose.override.yaml:3 compose/privileged'));
    assert.deepEqual(got.filter((g) => g.startsWith('compose.override.yaml')), ['compose.override.yaml:3 compose/privileged']);
    // Each finding once: the base's "missing" findings are not repeated for the override.
    assert.equal(new Set(got).size, got.length);
  });

  it('values the overlay replaces are judged as merged (an image tag, a published port)', () => {
    const overlay = 'services:\n  ollama:\n    image: ollama/ollama:latest\n    ports:\n      - "11434:11434"\n';
    const got = at(lintMemory({ 'compose.yaml': BASE, 'compose.prod.override.yml': overlay }, { walk: ['compose.prod.override.yml'] }));
    assert.deepEqual(got, ['compose.prod.override.yml:3 compose/unpinned-image', 'compose.prod.override.yml:5 agent/port-exposed']);
  });

  it('a file that defines its own services completely is linted alone', () => {
    const standalone = 'services:\n  ollama:\n    image: ollama/ollama:0.5.7\n    privileged: true\n';
    const got = at(lintMemory({ 'compose.yaml': BASE, 'docker-compose.dev.yml': standalone }, { walk: ['docker-compose.dev.yml'] }));
    assert.ok(got.includes('docker-compose.dev.yml:2 compose/no-healthcheck'), got.join('\n'));
  });
});
