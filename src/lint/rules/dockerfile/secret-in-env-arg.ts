import { isSecretKeyName, secretValueKind } from '../../../core/secrets/names.js';
import { locateIn } from '../../parse/dockerfile.js';
import { nonSecretValue, urlPassword } from '../../secret-values.js';
import { keyValuePairs } from '../../parse/dockerfile.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'dockerfile/secret-in-env-arg',
    severity: 'high',
    title: 'secret passed through ARG or ENV',
    rationale: 'ENV values are stored in the image config and ARG values in its build history (`docker history`), so anyone who can pull the image reads them; LLM keys included. BuildKit secret mounts exist exactly for build-time secrets, and runtime secrets belong in the runtime environment.',
    remediation: 'Use `RUN --mount=type=secret,id=npm_token …` for build-time secrets and pass runtime secrets when the container starts (compose `environment: ${NAME}`, Docker/Kubernetes secrets).',
    refs: ['https://docs.docker.com/build/building/secrets/', 'https://github.com/hadolint/hadolint/wiki/DL3064'],
    anchors: 'H DL3064, T, K',
    formats: ['dockerfile'],
    messages: { named: '{kind} {key} passes a secret into the image', valued: '{kind} {key} holds {what}' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const i of doc.instructions) {
      if (i.keyword !== 'ENV' && i.keyword !== 'ARG') continue;
      for (const kv of keyValuePairs(i.rest)) {
        const at = locateIn(i, new RegExp(`\\b${kv.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
        const shape = kv.value ? (secretValueKind(kv.value) ?? (urlPassword(kv.value) !== undefined ? { what: 'a password in a URL' } : undefined)) : undefined;
        const name = kv.key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
        // ENV ALLOW_CREDENTIALS=true, ARG TOKEN_TTL=3600: switches and limits, not secrets.
        if (isSecretKeyName(kv.key) && !(kv.value !== undefined && nonSecretValue(name, kv.value))) {
          // ENV NAME=$NAME re-exports a build arg already reported; an empty ENV carries nothing.
          if (i.keyword === 'ENV' && (kv.value === undefined || kv.value === '')) continue;
          out.push({ message: fmt(this.meta.messages.named, { kind: i.keyword, key: kv.key }), at, key: `${i.keyword}:${kv.key}` });
        } else if (shape) {
          out.push({ message: fmt(this.meta.messages.valued, { kind: i.keyword, key: kv.key, what: shape.what }), at, key: `${i.keyword}:${kv.key}` });
        }
      }
    }
    return out;
  },
};
