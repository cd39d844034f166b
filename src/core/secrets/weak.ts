/**
 * Recognising secrets that are not secret: template values copied from an `.env.example`, vendor defaults, values
 * too short to resist guessing. Pure (no fs, no process): `agentsec lint` and the secrets area both use it.
 */

/** Values shipped in templates, READMEs and vendor defaults, compared case-insensitively after trimming. */
export const KNOWN_DEFAULT_SECRETS: readonly string[] = [
  'your-super-secret-jwt-key-change-in-production', 'your-super-secret-and-long-postgres-password',
  'super-secret-jwt-token-with-at-least-32-characters-long', 'keyboardcat', 'keyboard cat', 'insecure', 'notsecret',
  'changeme', 'change-me', 'change_me', 'changeit', 'change-it', 'changethis', 'change-this', 'change_this',
  'change-in-production', 'change_in_production', 'changeinproduction', 'change-this-secret-key', 'change-this-secret',
  'change-me-in-production', 'please-change-me', 'replaceme', 'replace-me', 'replace_me',
  'secret', 'secrets', 'mysecret', 'my-secret', 'my_secret', 'secretkey', 'secret-key', 'secret_key', 'mysecretkey',
  'supersecret', 'super-secret', 'super_secret', 'supersecretkey', 'topsecret', 'top-secret', 't0p-s3cr3t', 's3cr3t', 'secret123',
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'password1', 'password123', 'mypassword', 'pass', 'passwd', 'pwd',
  'admin', 'admin123', 'administrator', 'root', 'toor', 'user', 'guest', 'test', 'testing', 'test123', 'demo',
  'default', 'example', 'sample', 'dummy', 'placeholder', 'todo', 'fixme', 'xxx', 'xxxx', 'none', 'null', 'undefined',
  'letmein', 'welcome', 'qwerty', '123456', '1234567', '12345678', '123456789', '1234567890', 'abc123', '000000',
  'sk-1234', 'sk-12345', 'sk-123456', 'sk-1234567890', 'sk-xxx', 'sk-xxxx', 'sk-...', 'sk-your-key', 'sk-test',
  'mysalt', 'salt', 'myredissecret', 'redispassword', 'miniosecret', 'minioadmin', 'minio123',
  'postgres', 'mysql', 'mongo', 'mongodb', 'redis', 'clickhouse', 'elastic', 'elasticsearch', 'rabbitmq', 'guest123',
  'letta', 'langfuse', 'flowise', 'n8n', 'dify', 'difyai123456', 'infini_rag_flow', 'ragflow', 'librechat', 'openwebui',
  'jwt-secret', 'jwt_secret', 'jwtsecret', 'session-secret', 'session_secret', 'nextauth-secret', 'api-key', 'api_key', 'apikey',
  'your-api-key', 'your_api_key', 'yourapikey', 'your-secret', 'your_secret', 'your-token', 'your_token', 'token', 'key',
];

/** Lower case without separators, so `Change_Me`, `change-me` and `CHANGE ME` are one default. */
function normalize(value: string): string {
  return value.toLowerCase().replace(/[-_ .]/g, '');
}

const KNOWN_DEFAULTS: ReadonlySet<string> = new Set(KNOWN_DEFAULT_SECRETS.map(normalize));

/** Shapes of placeholders: `your-*-here`, `<...>`, `CHANGE_ME_...`, `sk-...`, `xxxxxxxx`, `***`. */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /^your[-_ .]?.*[-_ .]?here$/i,
  /^your[-_ .]/i,
  /^(?:my|some|a|the|new|random|example|sample|test|dummy|default)[-_](?:[a-z0-9]+[-_])*(?:secret|key|token|password|passwd|pass|salt|apikey)(?:[-_][a-z0-9]+)*$/i,
  /^(?:generate|insert|enter|put|paste|replace|set)[-_](?:[a-z0-9]+[-_])*(?:here|secret|key|token|password|value)(?:[-_][a-z0-9]+)*$/i,
  /^(?:enter|insert|put|add|set)[-_ ]?your[-_ ]/i,
  /^<[^<>]+>$/,
  /^\[[^[\]]+\]$/,
  /^\{\{[^{}]*\}\}$/,
  /^\$\{[^{}]*\}$/,
  /change[-_ .]?in[-_ .]?prod/i,
  /change[-_ ]?(?:me|this|it)\b/i,
  /^change[-_ ]?(?:[a-z0-9]+[-_ ]?)*(?:password|passwd|pass|secret|key|token)$/i,
  /^replace[-_ ]?(?:me|this|with)/i,
  /(?:^|[-_])(?:placeholder|dummy)(?:$|[-_])/i,
  /^(?:sk|pk|rk|gsk|hf|xai|sk-ant|sk-proj)[-_](?:\.{2,}|x{3,}|\*{3,}|1234)/i,
  /^(?:x+|\*+|\.+|-+|_+|#+)$/i,
  /^(?:sk|gsk|hf)[-_]?(?:your|my|test|dummy|fake)/i,
];

/** Names that usually hold a signing or encryption secret, where the full 256 bits matter. */
const SIGNING_NAME = /(?:^|_)(?:JWT|SESSION|COOKIE|NEXTAUTH|AUTH|APP|SIGNING|HMAC|ENCRYPTION|ENCRYPT|CRYPTO|MASTER|SECRET|CREDS)(?:_[A-Z0-9]+)*_?(?:SECRET|KEY)(?:_BASE)?$|^(?:SECRET_KEY|SECRET_KEY_BASE|SALT|MASTER_KEY|ENCRYPTION_KEY|WEBUI_SECRET_KEY|NEXTAUTH_SECRET|JWT_SECRET|JWT_REFRESH_SECRET|CREDS_KEY|CREDS_IV)$/;

/** True for a key name that conventionally holds a signing/encryption secret (JWT_SECRET, SESSION_SECRET, ENCRYPTION_KEY, SALT …). */
export function isSigningSecretName(name: string): boolean {
  return SIGNING_NAME.test(name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'));
}

/**
 * True when the value is one of the well-known template or default secrets (`changeme`, `mysecret`, `t0p-s3cr3t`,
 * `sk-1234`, `your-api-key-here`, an all-zero hex string …). Compared case-insensitively, trimmed, quotes removed.
 */
export function isKnownDefaultSecret(value: string): boolean {
  const v = unquote(value.trim());
  if (v === '') return false;
  if (KNOWN_DEFAULTS.has(normalize(v))) return true;
  if (/^(?:0x)?0{8,}$/i.test(v)) return true;
  if (v.length >= 4 && /^(.)\1+$/.test(v)) return true;
  return PLACEHOLDER_PATTERNS.some((re) => re.test(v));
}

export interface WeakSecretOptions {
  /**
   * Minimum estimated strength in bits; values below it are weak. Signing secrets want 256 (32 random bytes).
   * Omitted: only empty and known default values are weak.
   */
  readonly minBits?: number;
}

/**
 * Why the value is unfit as a secret, or undefined when it looks fine: `empty`, `a known template or default value`,
 * `too weak (~N bits, want M)`, `too few distinct characters`. Never repeats the value itself, so the reason may
 * be printed.
 */
export function weakSecretReason(value: string, opts: WeakSecretOptions = {}): string | undefined {
  const v = unquote(value.trim());
  if (v === '') return 'empty';
  if (isKnownDefaultSecret(v)) return 'a known template or default value';
  if (opts.minBits !== undefined) {
    const distinct = new Set(v).size;
    if (distinct < Math.min(8, Math.ceil(v.length / 2))) return 'too few distinct characters';
    const bits = estimateBits(v);
    if (bits < opts.minBits) return `too weak (~${Math.floor(bits)} bits of randomness, want ${opts.minBits}: ${Math.ceil(opts.minBits / 8)} random bytes)`;
  }
  return undefined;
}

/**
 * A generous upper bound of the randomness of a value, from its length and the character classes it uses (hex
 * counts 4 bits a character). Generous on purpose: it flags what is surely weak, never a properly generated value.
 */
export function estimateBits(value: string): number {
  if (/^[0-9a-f]+$/i.test(value) && /[0-9]/.test(value)) return value.length * 4;
  let pool = 0;
  if (/[a-z]/.test(value)) pool += 26;
  if (/[A-Z]/.test(value)) pool += 26;
  if (/[0-9]/.test(value)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(value)) pool += 33;
  const padded = value.replace(/=+$/, '');
  return padded.length * Math.log2(Math.max(pool, 2));
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
