import type { Format } from './types.js';

/** What a file name says: a format for sure, or a syntax whose content decides (compose or settings or nothing). */
export type NameVerdict = Format | 'yaml' | 'json' | 'toml' | 'conf';

/** Extensions of source code and docs: `config.env.ts`, `dockerfile-parser.js` are never configs. */
const CODE_EXT = /\.(?:[cm]?[jt]sx?|py|rb|go|rs|java|kt|php|cs|c|h|cc|cpp|hpp|swift|scala|sh|bash|zsh|ps1|md|markdown|rst|txt|html?|css|scss|lock|map|snap|svg|png|jpe?g|gif|ico|pdf|zip|gz|tgz|bz2|xz|wasm|so|dylib|dll|exe|bin|jar|class|o|a|pyc|log|csv|tsv|xml)$/i;

/** Copies an editor, a package manager or a person left beside the real file (`nginx.conf.bak`, `default.conf.dpkg-old`). */
const BACKUP_EXT = /\.(?:bak|backup|orig|old|save|swp|swo|rej|tmp|disabled|dpkg-[a-z]+|rpmnew|rpmsave|ucf-[a-z]+)$/;

/** A suffix that makes a file a template or example of the config it names: `compose.yml.template`, `.env.sample`. */
const TEMPLATE_SUFFIX = /\.(?:template|tmpl|tpl|example|sample|dist)$/;

/** `env.template`, `.env-template`, `.env_sample`: an env file spelled without the `.env.` the other rules look for. */
const ENV_VARIANT = /^\.?env[._-](?:example|sample|template|tmpl|tpl|dist|defaults?)$|^\.env[-_][a-z0-9]+$/;

/**
 * A template or example (`.env.sample`, `compose.yml.template`, `config.template.toml`, `docker-compose.example.yml`):
 * the file that ships the defaults deployments copy, so its secrets are what users will deploy.
 */
export function isTemplateName(fileName: string): boolean {
  return /(?:^|[._-])(?:example|sample|template|tmpl|tpl|dist|defaults?)(?:$|[._-])/i.test(fileName.replace(/\.env/i, ''));
}

/** Decides by name alone; undefined means "not a config we read", so the file is never opened. */
export function formatByName(fileName: string): NameVerdict | undefined {
  const b = fileName;
  const lower = b.toLowerCase();
  // Source code and docs first: most files of a walked tree, and never a config whatever else the name says.
  if (CODE_EXT.test(lower)) return undefined;
  if (lower === '.agentsec.yaml' || lower === '.agentsec.yml') return undefined;
  if (lower === 'nginx.conf' || /\.conf\.template$/.test(lower) || /(?:^|[._-])nginx[^/]*\.conf$/.test(lower)) return 'nginx';
  if (ENV_VARIANT.test(lower)) return 'env';
  // `site.conf.template.j2`, `compose.yml.template`, `app.json.example`: the format of the name without the suffix
  // (content still decides where the name does not), read as a template.
  const inner = /^(.+\.conf)\.template\.[a-z0-9_-]+$/.exec(lower)?.[1] ?? (TEMPLATE_SUFFIX.test(lower) ? lower.replace(TEMPLATE_SUFFIX, '') : undefined);
  if (inner !== undefined && /\.(?:conf|ya?ml|json|toml)$/.test(inner) && !BACKUP_EXT.test(lower)) {
    const v = formatByName(inner);
    if (v !== undefined) return v === 'nginx' ? 'conf' : v;
  }
  if (lower.endsWith('.conf')) return 'conf';
  // A variant or template of a .conf (`ragflow.conf.python`, `site.conf.j2`): content decides. Backups and source code are not deployed.
  if (/\.conf\.[a-z0-9_-]+$/.test(lower) && !BACKUP_EXT.test(lower) && !CODE_EXT.test(lower)) return 'conf';
  if (/\.ya?ml$/.test(lower)) return /(?:^|[^a-z])compose[^/]*\.ya?ml$|compose\.ya?ml$/.test(lower) ? 'compose' : 'yaml';
  if (CODE_EXT.test(lower)) return undefined;
  // Caddy's own name for it, and the usual variants (`Caddyfile.prod`, `site.caddyfile`).
  if (lower === 'caddyfile' || /^caddyfile[._-][a-z0-9_.-]+$/.test(lower) || /\.caddyfile$/.test(lower)) return BACKUP_EXT.test(lower) ? undefined : 'caddy';
  if (/(?:^|[._-])(?:dockerfile|containerfile)(?:$|[._-])/.test(lower)) return 'dockerfile';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env') || lower.includes('.env.')) {
    if (/\.(?:json|toml|ya?ml|ini|cfg)$/.test(lower)) return undefined;
    return 'env';
  }
  if (lower.endsWith('.json') || lower.endsWith('.jsonc')) {
    if (/^(?:package(?:-lock)?|tsconfig[^/]*|jsconfig|composer|bower|lerna|nx|turbo|renovate|\.eslintrc|\.prettierrc|manifest)\.json$/.test(lower)) return undefined;
    return 'json';
  }
  if (lower.endsWith('.toml')) {
    if (/^(?:cargo|pyproject|poetry|rustfmt|clippy|taplo|netlify|fly)\.toml$/.test(lower)) return undefined;
    return 'toml';
  }
  return undefined;
}

/** `.env.example`, `.env.sample`, `.env.template`, `*.env.dist`: documentation, not a deployed file. */
export function isExampleEnv(fileName: string): boolean {
  return isTemplateName(fileName);
}

/** A cheap look for agent-server knobs before a JSON/YAML/TOML file is parsed as settings. */
const KNOB_HINT = /auth(?:entication)?[_-]?enabled|disable[_-]?auth|auth[_-]?disabled|webui[_-]?auth|tls[_-]?enabled|ssl[_-]?enabled|rate[_-]?limit|audit[_-]?log|cors[_-]?(?:allowed|origins|enabled)|max[_-]?failed|max[_-]?(?:request|message)[_-]?size|security[_-]?headers|jwt[_-]?expires|access[_-]?token[_-]?ttl|session[_-]?timeout|password[_-]?min|max[_-]?connections|management[_-]?api|session[_-]?cookie[_-]?secure|tls[_-]?min|tlsEnabled|authEnabled|rateLimit|auditLog|cors[_-]?allow|enable[_-]?tls|xpack|authori[sz]ation[_-]?enabled/i;

/** Nested spellings of the same knobs: an `auth:`/`[rate_limit]`/`cors:` section, or a known server's own file. */
const SECTION_HINT = /^[ \t]*(?:\[(?:[\w-]+\.)*)?"?(?:auth|authentication|tls|ssl|cors|rate_?limit(?:ing|er)?|security|session|jwt|audit(?:_?log)?|xpack)"?\]?[ \t]*[:=]?[ \t]*(?:\{[ \t]*)?(?:#.*)?$|"(?:auth|authentication|tls|cors|rate_?limit|security)"[ \t]*:[ \t]*\{|^[ \t]*(?:enable_tls|storage_path|model_list|general_settings|master_key|api[_-]key|gpu-memory-utilization|served-model-name|xpack\.security\.enabled)[ \t]*[:=]/im;

export function mayHoldAgentSettings(text: string): boolean {
  return KNOB_HINT.test(text) || SECTION_HINT.test(text);
}

/** A YAML text that is a compose file: a top-level `services:` mapping. */
export function looksLikeCompose(text: string): boolean {
  return /^services:\s*(?:#.*)?$/m.test(text) && !/^(?:apiVersion|kind):/m.test(text);
}

/** YAML that belongs to formats of part 2 (Kubernetes manifests, Traefik config): not agent settings. */
export function looksLikeOtherFormat(text: string): boolean {
  return /^(?:apiVersion|kind):/m.test(text) || /^(?:entryPoints|providers|http|tcp|udp|tls|api|certificatesResolvers):\s*(?:#.*)?$/m.test(text);
}

/** A `.conf` text that is nginx configuration: nginx directives at the start of a line. */
export function looksLikeNginx(text: string): boolean {
  return /^\s*(?:server|http|location|upstream|events|map)\s[^\n]*\{|^\s*(?:proxy_pass|proxy_set_header|listen|server_name|add_header|ssl_certificate|client_max_body_size|limit_req|root|try_files|proxy_http_version|proxy_read_timeout)\s/m.test(text);
}

/** YAML that is a Kubernetes manifest: top-level `apiVersion:` and `kind:`. */
export function looksLikeK8s(text: string): boolean {
  return /^apiVersion:/m.test(text) && /^kind:/m.test(text);
}

/** YAML or TOML that is Traefik static or dynamic configuration. */
export function looksLikeTraefik(text: string): boolean {
  if (/^(?:entryPoints|providers|certificatesResolvers):\s*(?:#.*)?$/m.test(text)) return true;
  if (/^(?:http|tcp):\s*(?:#.*)?$/m.test(text) && /^\s+(?:routers|middlewares|services|serversTransports):/m.test(text)) return true;
  if (/^tls:\s*(?:#.*)?$/m.test(text) && /^\s+(?:options|certificates|stores):/m.test(text)) return true;
  return /^\[(?:entryPoints|providers|certificatesResolvers|api|(?:http|tcp)\.(?:routers|middlewares|services))(?:[.\]])/m.test(text);
}
