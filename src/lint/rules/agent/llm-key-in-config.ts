import { isKnownDefaultSecret } from '../../../core/secrets/weak.js';
import { isLlmKeyName, secretValueKind } from '../../../core/secrets/names.js';
import { settingKey } from '../../rule-helpers.js';
import { nonSecretValue } from '../../secret-values.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'agent/llm-key-in-config',
    severity: 'high',
    title: 'LLM provider key written as a literal in a config file',
    rationale:
      'An LLM key in a compose file, Dockerfile or settings file is committed with it, baked into image layers and readable by anyone with `docker inspect`. Leaked provider keys are harvested from public repositories within minutes and run up bills or exfiltrate prompts. `${VAR}` interpolation from an uncommitted .env or a secrets manager is fine.',
    remediation: 'Replace the literal with `${OPENAI_API_KEY}` (compose) or a runtime secret (`--secret`, Docker/Kubernetes secrets), revoke the exposed key at the provider, and keep the value in a git-ignored .env.',
    refs: ['https://cwe.mitre.org/data/definitions/798.html', 'https://docs.docker.com/compose/how-tos/use-secrets/'],
    formats: ['compose', 'settings', 'dockerfile', 'k8s'],
    supersedes: ['compose/literal-secret-env', 'dockerfile/secret-in-env-arg', 'k8s/literal-secret-env'],
    messages: { literal: '{key} holds {what} as a literal', inline: '{key} has an LLM key as its inline default' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const raw = s.raw;
      if (raw === undefined || raw.trim() === '' || nonSecretValue(s.name, raw)) continue;
      const byName = isLlmKeyName(s.name);
      const shape = secretValueKind(raw);
      if (!s.interpolated) {
        if (!byName && !shape?.llm) continue;
        if (isKnownDefaultSecret(raw)) continue;
        out.push({ message: fmt(this.meta.messages.literal, { key: s.key, what: shape?.what ?? 'an LLM provider key' }), at: s.valueAt, key: settingKey(s) });
        continue;
      }
      for (const d of s.defaults) {
        if (d.text.trim() === '' || d.text.includes('$') || isKnownDefaultSecret(d.text)) continue;
        if (byName || secretValueKind(d.text)?.llm) out.push({ message: fmt(this.meta.messages.inline, { key: s.key }), at: d.at, key: settingKey(s) });
      }
    }
    return out;
  },
};
