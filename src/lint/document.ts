import type { CaddyDirective, CaddySite } from './parse/caddy.js';
import type { ComposeService } from './parse/compose.js';
import type { Instruction, Stage } from './parse/dockerfile.js';
import type { K8sObject } from './parse/k8s.js';
import type { NgDirective } from './parse/nginx.js';
import type { PMap } from './parse/yaml.js';
import type { Location } from './position.js';
import type { Setting } from './setting.js';

// The shapes the parsers produce are defined beside them (or in setting.ts); they are re-exported here, where the
// rules look for everything a document holds.
export type { ComposeService, PortSpec, VolumeSpec } from './parse/compose.js';
export { upperSnake, type Setting } from './setting.js';

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
  /**
   * A template or example by its name (`.env.example`, `compose.yml.template`, `config.template.toml`): the file that
   * ships the defaults deployments copy. Its empty values are placeholders; its template secrets are what gets deployed.
   */
  readonly template?: boolean;
}

export interface EnvDocument extends DocBase {
  readonly format: 'env';
  /** `.env.example`, `.env.sample`, `.env.template`: documentation rather than a deployed file. */
  readonly example: boolean;
  /** Git ignores it: the deployed file on a server (never committed), rather than one in the repository. */
  readonly gitIgnored: boolean;
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
  /** The top-level mapping (`name:`, `networks:`, `secrets:` …), merged with the compose file it runs with. */
  readonly top?: PMap;
  /**
   * Cross-file: the compose file this one is merged with (its base, or its auto override). Services and `top` are
   * the merge; findings located in that file are its own lint's, so this file's lint drops them.
   */
  readonly mergedWith?: string;
  /** Cross-file: the files top-level `secrets:` read (`file: ./secrets/db_password`), with what they hold. */
  readonly secretFiles?: readonly SecretFile[];
}

/** A Docker secret a compose file reads from a file. Its value is only ever judged, never shown. */
export interface SecretFile {
  /** The secret's name under `secrets:`. */
  readonly name: string;
  /** The path as written. */
  readonly path: string;
  /** The display path of the file. */
  readonly file: string;
  /** Where the path is written in the compose file (findings go there: a secret file cannot hold a suppression). */
  readonly at: Location;
  /** The text with one trailing newline removed; undefined when the file is missing, unreadable or binary. */
  readonly value: string | undefined;
  /** Git ignores the file (true), does not (false), or the file is not in a work tree or that is unknown (undefined). */
  readonly ignored: boolean | undefined;
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
  /**
   * Cross-file, on first use: the `limit_req_zone`/`limit_conn_zone` names the nginx files around this one define
   * (its directory and the one above, and the nginx files of the run), for zones a fragment uses but does not define.
   */
  readonly nearbyZones?: () => ReadonlySet<string>;
  /** Cross-file, on first use: the compose services near this file that run an agent, LLM or MCP server (name → what). */
  readonly agentServices?: () => ReadonlyMap<string, string>;
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

/** A Caddyfile: its global options and site blocks, snippets and imports inlined. */
export interface CaddyDocument extends DocBase {
  readonly format: 'caddy';
  readonly global: readonly CaddyDirective[];
  readonly sites: readonly CaddySite[];
  /** Cross-file, on first use: the compose services near this file that run an agent, LLM or MCP server (name → what). */
  readonly agentServices?: () => ReadonlyMap<string, string>;
}

export type LintDocument = EnvDocument | ComposeDocument | DockerfileDocument | SettingsDocument | NginxDocument | K8sDocument | TraefikDocument | CaddyDocument;
