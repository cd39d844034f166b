import type { LintDocument, NginxDocument } from './document.js';
import { walkNginx, type NgDirective } from './parse/nginx.js';

export function asNginx(doc: LintDocument): NginxDocument | undefined {
  return doc.format === 'nginx' ? doc : undefined;
}

/** Every directive of the document (included files too), depth first. */
export function allDirectives(doc: NginxDocument): NgDirective[] {
  const out: NgDirective[] = [];
  walkNginx(doc.directives, (d) => out.push(d));
  return out;
}

/** Directive lists from the block outwards: the block's own, its parents', then the file's top level. */
export function levels(doc: NginxDocument, block: NgDirective | undefined): Array<readonly NgDirective[]> {
  const out: Array<readonly NgDirective[]> = [];
  for (let b = block; b; b = b.parent) out.push(b.block ?? []);
  out.push(doc.directives);
  return out;
}

/**
 * The directives `name` that apply in a block under nginx's inheritance: those of the innermost level that has any
 * (a level with its own `add_header`, `limit_req`, `allow`… replaces, not extends, what it inherits).
 */
export function effective(doc: NginxDocument, block: NgDirective | undefined, names: string | readonly string[]): NgDirective[] {
  const set = typeof names === 'string' ? [names] : names;
  for (const list of levels(doc, block)) {
    const here = list.filter((d) => set.includes(d.name));
    if (here.length > 0) return here;
  }
  return [];
}

/** The innermost value of a single-valued directive (`server_tokens`, `client_max_body_size`). */
export function effectiveOne(doc: NginxDocument, block: NgDirective | undefined, name: string): NgDirective | undefined {
  const here = effective(doc, block, name);
  return here[here.length - 1];
}

/** `server` blocks of the http context (not `stream`, not `upstream`). */
export function httpServers(doc: NginxDocument): NgDirective[] {
  return allDirectives(doc).filter((d) => d.name === 'server' && d.block !== undefined && !inContext(d, 'stream') && !inContext(d, 'upstream'));
}

export function inContext(d: NgDirective, name: string): boolean {
  for (let b = d.parent; b; b = b.parent) if (b.name === name) return true;
  return false;
}

/** The server block a directive sits in. */
export function serverOf(d: NgDirective): NgDirective | undefined {
  for (let b: NgDirective | undefined = d; b; b = b.parent) if (b.name === 'server' && b.block) return b;
  return undefined;
}

/** A server terminating TLS: `listen … ssl|quic`, `listen 443`, `ssl on` or a certificate. */
export function isTlsServer(server: NgDirective): boolean {
  const body = server.block ?? [];
  for (const d of body) {
    if (d.name === 'listen' && d.args.some((a, i) => a.value === 'ssl' || a.value === 'quic' || (i === 0 && /(?:^|:)443$/.test(a.value)))) return true;
    if (d.name === 'ssl' && d.args[0]?.value === 'on') return true;
    if (d.name === 'ssl_certificate') return true;
  }
  return false;
}

/** Ports a server listens on (80 when no `listen`). */
export function listenPorts(server: NgDirective): string[] {
  const ls = (server.block ?? []).filter((d) => d.name === 'listen');
  if (ls.length === 0) return ['80'];
  return ls.map((d) => {
    const a = d.args[0]?.value ?? '80';
    const m = /(?:^|:)(\d+)$/.exec(a);
    return m ? (m[1] as string) : /^\d+$/.test(a) ? a : a.includes('unix:') ? 'unix' : '80';
  });
}

/** A server (or block) that only redirects or refuses: `return` at its own level. */
export function onlyReturns(block: NgDirective): boolean {
  return (block.block ?? []).some((d) => d.name === 'return') && !(block.block ?? []).some((d) => d.name === 'location' || d.name === 'proxy_pass' || d.name === 'root');
}

/** A block whose content is partly unknown: a template placeholder for whole directives. */
export function hasPlaceholder(block: NgDirective): boolean {
  return (block.block ?? []).some((d) => d.placeholder === true);
}

/** `add_header` names in effect in a block, lower-cased. */
export function headerNames(headers: readonly NgDirective[]): Set<string> {
  return new Set(headers.map((h) => (h.args[0]?.value ?? '').toLowerCase()));
}

/** The location path as written (`/api/`, `~ ^/(v1|api)`): modifier and pattern. */
export function locationPath(loc: NgDirective): { modifier: string; path: string } {
  const a = loc.args.map((x) => x.value);
  if (a.length >= 2 && /^(?:=|~|~\*|\^~)$/.test(a[0] as string)) return { modifier: a[0] as string, path: a[1] as string };
  const first = a[0] ?? '';
  const m = /^(=|~\*|~|\^~)(.+)$/.exec(first);
  if (m) return { modifier: m[1] as string, path: m[2] as string };
  return { modifier: '', path: first };
}

/** The shared-memory zones (`limit_req_zone … zone=api:10m`, `limit_conn_zone`) an nginx tree defines. */
export function zonesOf(directives: readonly NgDirective[]): Set<string> {
  const out = new Set<string>();
  walkNginx(directives, (d) => {
    if (d.name !== 'limit_req_zone' && d.name !== 'limit_conn_zone') return;
    for (const a of d.args) {
      const m = /^zone=([^:]+)/.exec(a.value);
      if (m) out.add(m[1] as string);
    }
  });
  return out;
}
