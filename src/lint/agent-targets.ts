import { DISTINCTIVE_AGENT_PORTS } from './rule-helpers.js';

/**
 * What a reverse proxy (nginx, Caddy) sends traffic to, judged as an agent: routes by their path, upstreams by their
 * host name, a distinctive agent port, or a compose service of the project that runs one.
 */

/** Agent API, MCP, A2A, WebSocket/SSE and auth routes, as a path segment or an alternative of a regex location. */
export const AGENT_ROUTE = /(?:^|[/(|^])(api|v1|mcp|a2a|messages?|inject|ws|socket\.io|sse|auth|login|signin|sign-in|signup|oauth2?|token|session)(?=$|[/|)$?.*\\])/i;

/** Upstream host names that say "agent, LLM or MCP server" (`letta-server`, `open-webui`, `mcp-gateway`). */
const AGENT_HOST = /(?:^|[-_.])(?:letta|open-?webui|webui|ollama|litellm|vllm|librechat|flowise|langfuse|langflow|dify-api|n8n|anything-?llm|ragflow|mem0|localai|openhands|mcp|llm|agents?|a2a)(?:$|[-_.\d])/i;

/**
 * Whether an upstream (`letta-server:8283`, `http://agent:8283/v1`, `10.0.0.5:3080`) is an agent: by its host name,
 * its distinctive port, or `services` (compose services of the project that run one, by name).
 */
export function isAgentUpstream(target: string, services?: () => ReadonlyMap<string, string>): boolean {
  const hostPort = target.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  const host = m?.[1] ?? hostPort;
  const port = m?.[2];
  if (host !== '' && AGENT_HOST.test(host)) return true;
  if (port !== undefined && DISTINCTIVE_AGENT_PORTS.has(Number(port))) return true;
  return host !== '' && !host.includes('{') && !host.includes('$') && services?.().has(host) === true;
}
