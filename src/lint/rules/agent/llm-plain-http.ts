import { isInternalHost, settingKey, urlHost } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const LLM_URL = /(?:OPENAI|ANTHROPIC|OLLAMA|LLM|VLLM|LITELLM|AZURE|GROQ|MISTRAL|GEMINI|COHERE|TOGETHER|DEEPSEEK|OPENROUTER|LOCALAI|TGI|INFERENCE|EMBEDDING|EMBEDDER|MODEL|LMSTUDIO|OPENLLM|XINFERENCE)[A-Z0-9_]*_(?:BASE_URLS?|API_BASE|API_BASE_URL|BASE|ENDPOINT|URLS?|HOST|API_URL)$|^(?:API_BASE|BASE_URL|OPENAI_API_BASE)$/;

export const rule: Rule = {
  meta: {
    id: 'agent/llm-plain-http',
    severity: 'medium',
    title: 'LLM endpoint over plain HTTP to a remote host',
    rationale: 'Requests to the model carry the API key and every prompt and answer, often with private data and tool results. Over http:// to another machine they can be read and altered on the way (including injected instructions in the answer). Internal names (compose services, *.internal, private addresses) and localhost are not reported.',
    remediation: 'Use https:// for remote model endpoints, or reach a self-hosted model over a private network or an SSH/WireGuard tunnel.',
    refs: ['https://cwe.mitre.org/data/definitions/319.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { http: '{key} sends prompts and keys over plain http:// to {host}' },
  },
  check(doc) {
    const out: Report[] = [];
    for (const s of doc.settings) {
      const v = s.value;
      if (v === undefined || !LLM_URL.test(s.path)) continue;
      for (const part of v.split(/[\s,;]+/)) {
        const u = urlHost(part);
        if (u?.scheme === 'http' && !isInternalHost(u.host)) {
          out.push({ message: fmt(this.meta.messages.http, { key: s.key, host: u.host }), at: s.valueAt, key: settingKey(s) });
          break;
        }
      }
    }
    return out;
  },
};
