import type { Origin } from './parse/interpolate.js';
import type { Instruction, Stage } from './parse/dockerfile.js';
import type { K8sObject } from './parse/k8s.js';
import type { NgDirective } from './parse/nginx.js';
import type { PMap, PNode, PScalar } from './parse/yaml.js';
import type { Location, Position } from './types.js';

/**
 * One key/value an agent server reads, whatever file it is written in: a `.env` line, a compose `environment:`
 * entry, a settings-file leaf (`[server] tls_enabled`), a Dockerfile `ENV`/`ARG`.
 */
export interface Setting {
  /** As written: `TLS_ENABLED`, `server.tls_enabled`. */
  readonly key: string;
  /** The last segment in UPPER_SNAKE: `TLS_ENABLED` (camelCase split). */
  readonly name: string;
  /** Every segment in UPPER_SNAKE: `SERVER_TLS_ENABLED`. */
  readonly path: string;
  /** As written, before interpolation; undefined for a bare `KEY` with no value. */
  readonly raw: string | undefined;
  /** The value the server would see; undefined when it depends on a variable unknown at lint time. */
  readonly value: string | undefined;
  readonly interpolated: boolean;
  readonly origin: Origin;
  /** Inline `${NAME:-text}` defaults written in the value. */
  readonly defaults: ReadonlyArray<{ readonly name: string; readonly text: string; readonly at: Position }>;
  /** Where the key is written. */
  readonly at: Location;
  /** Where the effective value is written (the inline default, or the sibling .env line). */
  readonly valueAt: Location;
  /** The compose service it belongs to. */
  readonly service?: string;
  /** Written in a Dockerfile `ARG` (a build argument) rather than `ENV`. */
  readonly buildArg?: boolean;
}

interface DocBase {
  /** Path relative to the working directory, forward slashes. */
  readonly file: string;
  readonly text: string;
  /** Every setting in the file. */
  readonly settings: readonly Setting[];
  /**
   * Whether the file configures an agent server (it carries several of the knobs LINT-RULES.md names), so that
   * "unset" checks (no rate limit, no size limit) make sense for it.
   */
  readonly agentServer: boolean;
}

export interface EnvDocument extends DocBase {
  readonly format: 'env';
  /** `.env.example`, `.env.sample`, `.env.template`: documentation rather than a deployed file. */
  readonly example: boolean;
}

export interface PortSpec {
  readonly raw: string;
  /** Host address the port binds to; undefined means all interfaces. */
  readonly hostIp: string | undefined;
  readonly hostPort: string | undefined;
  /** First container port of the mapping. */
  readonly containerPort: number | undefined;
  /** Every container port of a range (capped). */
  readonly containerPorts: readonly number[];
  readonly protocol: string;
  readonly at: Position;
}

export interface VolumeSpec {
  readonly raw: string;
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** As written (before interpolation) and resolved. */
  readonly sourceRaw: string | undefined;
  readonly source: string | undefined;
  readonly target: string;
  readonly readOnly: boolean;
  readonly propagation: string | undefined;
  readonly at: Position;
}

export interface ComposeService {
  readonly name: string;
  readonly at: Position;
  readonly node: PMap;
  readonly image: PScalar | undefined;
  readonly ports: readonly PortSpec[];
  readonly volumes: readonly VolumeSpec[];
  readonly environment: readonly Setting[];
  get(key: string): PNode | undefined;
  keyAt(key: string): Position | undefined;
}

export interface ComposeDocument extends DocBase {
  readonly format: 'compose';
  readonly services: readonly ComposeService[];
  /** The sibling .env read for interpolation, if any. */
  readonly envFile: string | undefined;
  /**
   * Cross-file: the entries of the files services name in `env_file:` (read relative to the compose file), placed
   * in those files. Kept apart from `settings`: a value in an env_file is where a secret belongs, unless it is a template.
   */
  readonly envFileSettings?: readonly Setting[];
  /** Cross-file: services a proxy configuration of the project (nginx, a Traefik dynamic file) sends traffic to, with that proxy. */
  readonly proxiedBy?: ReadonlyMap<string, string>;
  /** Cross-file: the middlewares of Traefik's file provider, for `name@file` references in labels (computed on first use). */
  readonly fileProvider?: () => readonly TraefikFileEntry[];
}

export interface DockerfileDocument extends DocBase {
  readonly format: 'dockerfile';
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  /** The `.dockerignore` beside the Dockerfile: its text, or null when there is none. */
  readonly dockerignore: string | null;
  /** A compose file beside it (or one level up) builds this Dockerfile into a service that defines a healthcheck. */
  readonly composeHealthcheck?: boolean;
}

export interface SettingsDocument extends DocBase {
  readonly format: 'settings';
  readonly syntax: 'json' | 'yaml' | 'toml';
}

export interface NginxDocument extends DocBase {
  readonly format: 'nginx';
  /** The top-level directives, `include`s replaced by the included files' directives. */
  readonly directives: readonly NgDirective[];
  /** A `*.conf.template`: `${VAR}` placeholders are unknown values. */
  readonly template: boolean;
}

export interface K8sDocument extends DocBase {
  readonly format: 'k8s';
  /** Every object of every document of the manifest. */
  readonly objects: readonly K8sObject[];
  /**
   * Entries of Secrets (`stringData`, decoded `data`). Kept apart from `settings` (container env and ConfigMap data):
   * a Secret is where a secret belongs, unless its value is a template.
   */
  readonly secretData?: readonly Setting[];
}

/** One option of a Traefik YAML/TOML file as a lower-case dotted key (`http.middlewares.auth.basicauth.users`). */
export interface TraefikFileEntry {
  readonly key: string;
  readonly value: string;
  readonly at: Location;
}

/** A Traefik static or dynamic configuration file (YAML or TOML), flattened to dotted keys in `settings`. */
export interface TraefikDocument extends DocBase {
  readonly format: 'traefik';
  readonly syntax: 'yaml' | 'toml';
  /** Cross-file: middlewares the file provider reads from other files (siblings in its directory, others in the run). */
  readonly fileProvider?: () => readonly TraefikFileEntry[];
}

export type LintDocument = EnvDocument | ComposeDocument | DockerfileDocument | SettingsDocument | NginxDocument | K8sDocument | TraefikDocument;

const SNAKE_CACHE = new Map<string, string>();

/** `tlsEnabled`, `tls-enabled`, `tls.enabled` → `TLS_ENABLED`. */
export function upperSnake(key: string): string {
  const hit = SNAKE_CACHE.get(key);
  if (hit !== undefined) return hit;
  const out = toUpperSnake(key);
  if (SNAKE_CACHE.size < 50_000) SNAKE_CACHE.set(key, out);
  return out;
}

function toUpperSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
