import type { VolumeSpec } from '../../document.js';
import { agentService } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const AGENTISH_NAME = /agent|claude|codex|gemini|aider|openhands|devin|coder|code-server|mcp|letta|mem0|assistant|copilot|sandbox|worker/i;

/** What a bind source gives the container: the home, an agent's credentials, or the project tree. */
function classify(v: VolumeSpec): string | undefined {
  const src = (v.sourceRaw ?? '').trim();
  if (/^(?:~|\$\{?HOME\}?|\$\{HOST_HOME[^}]*\}|\/home\/[^/]+|\/Users\/[^/]+)\/?\.(?:claude|config|codex|gemini|aider|cursor|continue|local\/share)(?:\/|$)/.test(src)) return 'agent credentials and configuration';
  if (/^(?:~|\$\{?HOME\}?|\$\{HOST_HOME[^}]*\}|\/home\/[^/]+|\/Users\/[^/]+)\/?$/.test(src)) return 'the host home directory';
  if (/^(?:\.|\.\/?|\.\.|\.\.\/?|\$\{?PWD\}?|\$\{PROJECT_DIR[^}]*\}|\$\{[A-Z_]*(?:PROJECT|WORKSPACE|REPO)[A-Z_]*[^}]*\})\/?$/.test(src)) return 'the project directory';
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'agent/tool-execution-mount',
    severity: 'high',
    title: 'host home, agent credentials or project tree mounted read-write into an agent',
    rationale:
      'An agent that runs tools executes what a prompt (or a prompt injection in a web page, issue or document) tells it to. A read-write mount of the host home, `~/.claude`/`~/.config` or the project tree lets that turn into editing shell profiles, stealing credentials or planting code in the repository, outside the container.',
    remediation: 'Mount only the directory the agent needs, read-only where possible (`./data:/data:ro`), copy credentials in as secrets, and give tool execution a scratch volume.',
    refs: ['https://genai.owasp.org/llmrisk/llm062025-excessive-agency/', 'https://cwe.mitre.org/data/definitions/250.html'],
    formats: ['compose'],
    messages: { mount: '{service} mounts {what} ({source}) read-write' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      if (!agentService(svc) && !AGENTISH_NAME.test(svc.name)) continue;
      for (const v of svc.volumes) {
        if (v.type !== 'bind' || v.readOnly) continue;
        const what = classify(v);
        if (what) out.push({ message: fmt(this.meta.messages.mount, { service: svc.name, what, source: v.sourceRaw ?? '' }), at: v.at, key: `${svc.name}:${v.sourceRaw ?? ''}` });
      }
    }
    return out;
  },
};
