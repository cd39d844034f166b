/**
 * Route policy of `agentsec serve`: which permission a request needs, from its method and path. A rule is written
 * `METHOD[,METHOD…] PATTERN` (`*` for any method); in the pattern `*` stands for one path segment and `**` (last
 * only) for any tail, zero segments included. The first rule that matches decides, in the order written, as
 * firewall rules do: the outcome of a request can be read off the list from the top, and no specificity ranking can
 * surprise anyone (put narrow rules above broad ones).
 */
import { isScope } from '../apikeys/permissions.js';

/** What a route requires: a permission, any valid credential, or nothing (public). */
export type Requirement = { readonly kind: 'permission'; readonly permission: string } | { readonly kind: 'authenticated' } | { readonly kind: 'public' };

export interface RouteRule {
  /** As written, for logs and errors. */
  readonly text: string;
  /** Upper-case methods; undefined for any. */
  readonly methods: ReadonlySet<string> | undefined;
  /** Literal segments, `*` or a final `**`. */
  readonly segments: readonly string[];
  readonly tail: boolean;
  readonly require: Requirement;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const METHOD = /^[A-Z]{1,16}$/;
const SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=:@%-]+$/;

/** With no policy (or no rule matching), a request needs a valid credential and nothing more. */
export const AUTHENTICATED: Requirement = Object.freeze({ kind: 'authenticated' });

/**
 * Parses one route: `POST /v1/memories/**`. Methods are case-insensitive in the text and upper-cased; segments are
 * literal (compared after the request path is normalised, see {@link normalisePath}).
 */
export function parseRoute(text: string): Parsed<Pick<RouteRule, 'methods' | 'segments' | 'tail'>> {
  const m = /^\s*(\S+)\s+(\/\S*)\s*$/.exec(text);
  if (!m) return { ok: false, message: `route '${text.slice(0, 80)}': write METHOD /path (e.g. POST /v1/memories/**)` };
  const [, methodText, path] = m as unknown as [string, string, string];
  let methods: Set<string> | undefined;
  if (methodText !== '*') {
    methods = new Set();
    for (const raw of methodText.split(',')) {
      const meth = raw.toUpperCase();
      if (!METHOD.test(meth)) return { ok: false, message: `route '${text.slice(0, 80)}': '${raw.slice(0, 20)}' is not an HTTP method (or * for any)` };
      methods.add(meth);
    }
  }
  const parts = path.split('/').slice(1);
  if (parts.length === 1 && parts[0] === '') return { ok: true, value: { methods, segments: [], tail: false } };
  const segments: string[] = [];
  let tail = false;
  for (let i = 0; i < parts.length; i++) {
    const s = parts[i] as string;
    if (s === '**') {
      if (i !== parts.length - 1) return { ok: false, message: `route '${text.slice(0, 80)}': ** may only end a pattern` };
      tail = true;
    } else if (s === '*' || SEGMENT.test(s)) {
      if (s === '.' || s === '..') return { ok: false, message: `route '${text.slice(0, 80)}': no . or .. segments` };
      segments.push(s);
    } else if (s === '' && i === parts.length - 1) {
      // `/v1/` ends with an empty segment: the same route as `/v1`, since request paths are compared without it.
    } else {
      return { ok: false, message: `route '${text.slice(0, 80)}': segment '${s.slice(0, 40)}' is empty or holds a character paths cannot` };
    }
  }
  return { ok: true, value: { methods, segments, tail } };
}

/** Parses what a route requires: `public`, `authenticated`, or a permission `resource:action`. */
export function parseRequirement(text: string): Parsed<Requirement> {
  if (text === 'public') return { ok: true, value: { kind: 'public' } };
  if (text === 'authenticated') return { ok: true, value: AUTHENTICATED };
  if (isScope(text)) return { ok: true, value: { kind: 'permission', permission: text } };
  return { ok: false, message: `require '${text.slice(0, 64)}': use public, authenticated or a permission resource:action` };
}

/** Parses a route list from config, or the first problem found. */
export function compileRoutes(rules: ReadonlyArray<{ readonly route: string; readonly require: string }>): Parsed<RouteRule[]> {
  const out: RouteRule[] = [];
  for (const [i, r] of rules.entries()) {
    const p = parseRoute(r.route);
    if (!p.ok) return { ok: false, message: `routes[${i}]: ${p.message}` };
    const q = parseRequirement(r.require);
    if (!q.ok) return { ok: false, message: `routes[${i}]: ${q.message}` };
    out.push({ text: `${r.route.trim()} -> ${r.require}`, ...p.value, require: q.value });
  }
  return { ok: true, value: out };
}

/**
 * The path of a request as rules see it: the query dropped, percent-encoding decoded, empty and `.` segments
 * removed and `..` resolved, so `/public/..%2Fadmin` is `/admin` and cannot borrow the rule of `/public/*`. Returns
 * the segments, or undefined for a path that is not one (no leading `/`, bad encoding, a NUL byte): the caller
 * refuses it rather than guess which rule it meant.
 */
export function normalisePath(raw: string): string[] | undefined {
  const q = raw.search(/[?#]/);
  const path = q === -1 ? raw : raw.slice(0, q);
  if (!path.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const out: string[] = [];
  for (const s of decoded.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

function segmentsMatch(rule: RouteRule, path: readonly string[]): boolean {
  if (rule.tail ? path.length < rule.segments.length : path.length !== rule.segments.length) return false;
  for (let i = 0; i < rule.segments.length; i++) {
    const s = rule.segments[i] as string;
    if (s !== '*' && s !== path[i]) return false;
  }
  return true;
}

/** True when the rule covers the request. `method` upper-case, `path` from {@link normalisePath}. */
export function routeMatches(rule: Pick<RouteRule, 'methods' | 'segments' | 'tail'>, method: string, path: readonly string[]): boolean {
  if (rule.methods !== undefined && !rule.methods.has(method)) return false;
  return segmentsMatch(rule as RouteRule, path);
}

/**
 * What a request needs: the requirement of the first matching rule, or {@link AUTHENTICATED} when none matches
 * (so no route is ever public by accident).
 */
export function requirementFor(rules: readonly RouteRule[], method: string, path: readonly string[]): { readonly require: Requirement; readonly rule: RouteRule | undefined } {
  for (const rule of rules) if (routeMatches(rule, method, path)) return { require: rule.require, rule };
  return { require: AUTHENTICATED, rule: undefined };
}
