import { allDirectives, asNginx, effectiveOne, locationPath } from '../../nginx-helpers.js';
import type { NgDirective } from '../../parse/nginx.js';
import { fmt, type Report, type Rule } from '../../types.js';

const MIB = 1024 * 1024;
const MAX_BODY = 100 * MIB;
const CLIENT_TIMEOUTS = new Set(['client_body_timeout', 'client_header_timeout', 'send_timeout', 'keepalive_timeout']);
const MAX_CLIENT_TIMEOUT = 300;
const MAX_STREAM_TIMEOUT = 3600;

/** `25M`, `1g`, `512k`, `1024` → bytes; undefined when not a size. */
export function nginxSize(v: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(v.trim());
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[(m[2] as string).toLowerCase()] as number;
  return Number(m[1]) * mult;
}

/** `60`, `60s`, `5m`, `1h`, `1d`, `1h 30m`, `500ms` → seconds; undefined when not a time. */
export function nginxSeconds(v: string): number | undefined {
  const parts = v.trim().split(/\s+/);
  let total = 0;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000, '': 1 };
  for (const p of parts) {
    const m = /^(\d+)(ms|s|m|h|d|w|M|y)?$/.exec(p);
    if (!m) return undefined;
    total += Number(m[1]) * (unit[m[2] ?? ''] as number);
  }
  return total;
}

function isStreaming(loc: NgDirective): boolean {
  const body = loc.block ?? [];
  if (body.some((x) => x.name === 'proxy_set_header' && /^upgrade$/i.test(x.args[0]?.value ?? ''))) return true;
  if (body.some((x) => x.name === 'proxy_buffering' && x.args[0]?.value === 'off')) return true;
  return /(?:^|[/(|])(?:ws|socket\.io|sse|stream|events)(?=$|[/|)$])/i.test(locationPath(loc).path.replace(/\\\./g, '.'));
}

export const rule: Rule = {
  meta: {
    id: 'nginx/unbounded-body-or-timeouts',
    severity: 'low',
    title: 'unbounded request body or very long timeouts',
    rationale: '`client_max_body_size 0` (or gigabytes) lets one request fill the disk or the agent\'s memory; client timeouts of many minutes and streaming routes that never time out let a few slow connections (slowloris) hold every worker and WebSocket slot.',
    remediation: 'Keep `client_max_body_size` to what uploads need (e.g. 25m); keep client_body/header and send timeouts under a minute or two; give streaming routes a finite `proxy_read_timeout` (≤ 1h) together with `limit_conn`.',
    refs: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size', 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout'],
    formats: ['nginx'],
    messages: {
      body: 'client_max_body_size {value}: {why}',
      timeout: '{name} {value} holds slow clients for over {limit}s',
      stream: 'streaming location {path} keeps idle upstream reads open for {value}',
    },
  },
  check(doc) {
    const d = asNginx(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const x of allDirectives(d)) {
      const v = x.args[0];
      if (!v || v.placeholder) continue;
      if (x.name === 'client_max_body_size') {
        const n = nginxSize(v.value);
        if (n === 0) out.push({ message: fmt(this.meta.messages.body, { value: v.value, why: 'no limit at all' }), at: v.at, key: `body:${x.at.line}` });
        else if (n !== undefined && n > MAX_BODY) out.push({ message: fmt(this.meta.messages.body, { value: v.value, why: 'over 100 MiB per request' }), at: v.at, key: `body:${x.at.line}` });
      }
      if (CLIENT_TIMEOUTS.has(x.name)) {
        const s = nginxSeconds(v.value);
        if (s !== undefined && s > MAX_CLIENT_TIMEOUT) out.push({ message: fmt(this.meta.messages.timeout, { name: x.name, value: v.value, limit: MAX_CLIENT_TIMEOUT }), at: v.at, key: `t:${x.name}:${x.at.line}` });
      }
      if (x.name === 'location' && x.block && isStreaming(x)) {
        const t = effectiveOne(d, x, 'proxy_read_timeout');
        const s = t?.args[0] && !t.args[0].placeholder ? nginxSeconds(t.args[0].value) : undefined;
        if (s !== undefined && (s > MAX_STREAM_TIMEOUT || s === 0)) out.push({ message: fmt(this.meta.messages.stream, { path: locationPath(x).path, value: t?.args[0]?.value ?? '' }), at: x.at, key: `s:${locationPath(x).path}` });
      }
    }
    return out;
  },
};
