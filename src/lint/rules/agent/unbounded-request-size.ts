import { settingKey, sizeBytes, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SIZE = /^(?:[A-Z0-9]+_)?(?:MAX_(?:REQUEST|MESSAGE|BODY|PAYLOAD|UPLOAD|WS_MESSAGE|FRAME)_SIZE|(?:REQUEST|MESSAGE|BODY|PAYLOAD)_SIZE_LIMIT|CLIENT_MAX_BODY_SIZE|BODY_LIMIT)(?:_BYTES|_MB|_KB)?$/;
/** 100 MiB: larger than any prompt or tool result, small enough not to exhaust memory on a few parallel requests. */
const HUGE = 100 * 1024 * 1024;

export const rule: Rule = {
  meta: {
    id: 'agent/unbounded-request-size',
    severity: 'medium',
    title: 'request or message size unlimited',
    rationale:
      'An agent server that accepts any request or WebSocket message size can be exhausted by a few large uploads, and unbounded prompts turn directly into provider cost. 0 usually means "no limit"; above 100 MiB is treated as unbounded.',
    remediation: 'Set `MAX_REQUEST_SIZE`/`MAX_MESSAGE_SIZE` to what the agent needs (1–10 MB is typical) and enforce the same limit at the reverse proxy (`client_max_body_size`).',
    refs: ['https://cwe.mitre.org/data/definitions/770.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { unlimited: '{setting} does not bound request size', unset: 'agent-server settings without MAX_REQUEST_SIZE or MAX_MESSAGE_SIZE: request size is unbounded' },
  },
  check(doc) {
    const out: Report[] = [];
    let seen = false;
    for (const s of doc.settings) {
      if (!SIZE.test(s.name)) continue;
      seen = true;
      const v = s.value;
      if (v === undefined) continue;
      let bytes = sizeBytes(v);
      if (bytes !== undefined && /_MB$/.test(s.name)) bytes *= 1024 * 1024;
      if (bytes !== undefined && /_KB$/.test(s.name)) bytes *= 1024;
      if (bytes !== undefined && (bytes <= 0 || bytes > HUGE)) out.push({ message: fmt(this.meta.messages.unlimited, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
    }
    const first = doc.settings[0];
    if (!seen && doc.format !== 'compose' && doc.agentServer && first) out.push({ message: this.meta.messages.unset as string, at: first.at, key: 'unset:MAX_REQUEST_SIZE' });
    return out;
  },
};
