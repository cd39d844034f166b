/**
 * Which `.env` entries hold a secret, for `secret status --dotenv`: `JWT_SECRET`, `DB_PASSWORD`, `ANTHROPIC_API_KEY`,
 * `REDIS_AUTH`, but not the settings around them — `PASSWORD_MIN_LENGTH`, `PASSWORD_HASH_ALGORITHM`,
 * `OAUTH_ENABLED`, `JWT_TOKEN_EXPIRY_IN_MINUTES`, `MAX_TOKENS`, `SSL_KEY_PATH`, `CORS_ALLOW_CREDENTIALS` — whose
 * values (`12`, `argon2id`, `true`) are not weak secrets but settings, and would fail monitoring forever.
 *
 * A name is read the way English compounds are: its last word names the thing (`…_MIN_LENGTH` is a length, whatever
 * comes before), the words before it say what the thing belongs to. Qualifiers that only say how a value is stored
 * (`_B64`, `_HEX`, `_1`, `_OLD`) are looked through. A verb before the secret word (`DISABLE_PASSWORD_LOGIN`,
 * `EXPIRE_AUTH_TOKENS_ON_RESTART`) makes it a switch about a secret, not one. Pure.
 */

/** Words that, as the last word, name a secret. */
const SECRET_HEADS = new Set([
  'SECRET', 'SECRETS', 'TOKEN', 'KEY', 'KEYS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'PASSCODE', 'PIN',
  'SALT', 'PEPPER', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'APIKEY', 'SECRETKEY', 'PRIVATEKEY', 'ACCESSKEY', 'AUTHTOKEN',
  'ACCESSTOKEN', 'SIGNINGKEY', 'MASTERKEY', 'SESSIONKEY', 'COOKIESECRET', 'CLIENTSECRET',
]);

/** Secret words that may end a run-together word (`SECRETKEY`, `APITOKEN`); short ones (`PASS`, `KEY`) would match `BYPASS`, `MONKEY`. */
const SECRET_SUFFIXES = ['SECRET', 'TOKEN', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'APIKEY', 'SECRETKEY', 'PRIVATEKEY', 'ACCESSKEY', 'SIGNINGKEY'];

/**
 * Heads that name a secret only sometimes: `REDIS_AUTH=s3cret` and `BASIC_AUTH=user:pass` are secrets,
 * `WEBUI_AUTH=False` is a switch. Their value decides (see {@link looksLikeSettingValue}).
 */
const AMBIGUOUS_HEADS = new Set(['AUTH', 'AUTHORIZATION', 'LICENSE', 'SIGNATURE', 'SIG', 'HMAC', 'DSN']);

/** Last words that name a setting, however secret the words before them sound. */
const SETTING_HEADS = new Set([
  // where and what: a path, an address, a name, an id, a kind
  'PATH', 'PATHS', 'FILE', 'FILES', 'FILENAME', 'DIR', 'DIRECTORY', 'FOLDER', 'LOCATION', 'URL', 'URLS', 'URI', 'URIS', 'HOST', 'HOSTNAME', 'HOSTS', 'PORT',
  'DOMAIN', 'DOMAINS', 'ORIGIN', 'ORIGINS', 'ENDPOINT', 'ENDPOINTS', 'CALLBACK', 'REDIRECT', 'LINK', 'ID', 'IDS', 'NAME', 'NAMES', 'LABEL', 'TYPE',
  'KIND', 'MODE', 'PROVIDER', 'PROVIDERS', 'BACKEND', 'STORE', 'STORAGE', 'REGION', 'ZONE', 'BUCKET', 'ACCOUNT', 'USER', 'USERNAME', 'USERS', 'LOGIN',
  'EMAIL', 'OWNER', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'HEADER', 'HEADERS', 'COOKIE', 'PARAM', 'PARAMETER', 'FIELD', 'PREFIX', 'SUFFIX',
  'MODEL', 'PREF', 'VERSION', 'ENV', 'SOURCE', 'CERT', 'CERTS', 'CERTIFICATE', 'CA', 'FORMAT', 'ENCODING', 'MANAGER', 'SERVICE', 'ENGINE',
  'DRIVER', 'METHOD', 'CLASS', 'HANDLER', 'PLUGIN', 'MIDDLEWARE',
  // how: an algorithm and its parameters
  'ALGORITHM', 'ALGORITHMS', 'ALG', 'ALGO', 'CIPHER', 'DIGEST', 'HASH', 'SCHEME', 'STRATEGY', 'POLICY', 'ROUNDS', 'ITERATIONS', 'COST', 'FACTOR',
  'STRENGTH', 'COMPLEXITY', 'REQUIREMENTS', 'PATTERN', 'REGEX', 'RULES',
  // how much and how long
  'LENGTH', 'LEN', 'SIZE', 'BITS', 'BYTES', 'CHARS', 'CHAR', 'CHARACTERS', 'COUNT', 'NUMBER', 'LIMIT', 'LIMITS', 'MAX', 'MIN', 'THRESHOLD',
  'RETRIES', 'ATTEMPTS', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRE', 'EXPIRATION', 'LIFETIME', 'LIFESPAN', 'AGE', 'TIMEOUT', 'INTERVAL', 'WINDOW',
  'PERIOD', 'DELAY', 'DURATION', 'ROTATION', 'MS', 'MILLISECONDS', 'S', 'SEC', 'SECS', 'SECONDS', 'MINS', 'MINUTES', 'H', 'HOURS', 'HRS',
  'DAYS', 'WEEKS',
  // whether: a switch
  'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'REQUIRED', 'REQUIRE', 'ALLOWED', 'ALLOW', 'ON', 'OFF', 'FLAG', 'FLAGS', 'CHECK', 'CHECKS',
  'VALIDATION', 'VERIFICATION', 'LOGGING', 'LOG', 'LEVEL', 'DEBUG', 'RESET', 'RESTART', 'REFRESH', 'OPTIONS', 'CONFIG', 'SETTINGS',
  // plural counts of LLM context
  'TOKENS',
]);

/** Endings of run-together setting words (`PASSWORDMINCHAR`, `PASSWORDLOWERCASE`). */
const SETTING_SUFFIXES = ['LENGTH', 'CHAR', 'CHARS', 'CASE', 'COUNT', 'LIMIT', 'ROUNDS', 'EXPIRY', 'TIMEOUT', 'TTL', 'POLICY', 'REQUIREMENTS', 'ENABLED', 'DISABLED'];

/** Words that, before the secret word, make the name a switch or a rule about secrets rather than one. */
const FLAG_WORDS = new Set(['ENABLE', 'ENABLED', 'DISABLE', 'DISABLED', 'ALLOW', 'ALLOWED', 'REQUIRE', 'REQUIRED', 'EXPIRE', 'USE', 'SKIP', 'FORCE', 'REJECT', 'SHOW', 'HIDE', 'IS', 'HAS', 'NO', 'ROTATE', 'VALIDATE', 'TRUST', 'AUTO', 'MAX', 'MIN', 'NUM', 'TOTAL']);

/** Qualifiers that say how or which, not what: looked through to find the last word that names the thing. */
const QUALIFIERS = /^(?:B64|BASE64|BASE32|BASE|HEX|PEM|DER|JSON|RAW|ENCODED|VALUE|DATA|CONTENT|CONTENTS|STRING|STR|TEXT|OLD|NEW|CURRENT|NEXT|LEGACY|PRIMARY|SECONDARY|OVERRIDE|OVERWRITE|PROD|PRODUCTION|DEV|STAGING|V?\d+)$/;

/** Words before KEY that make it a public or structural key, not a secret one. */
const PUBLIC_KEY_WORDS = new Set(['PUBLIC', 'PUBLISHABLE', 'PUB', 'PRIMARY', 'FOREIGN', 'SORT', 'PARTITION', 'CACHE', 'IDEMPOTENCY', 'ROUTING', 'OBJECT', 'LOOKUP', 'MAP', 'HOTKEY', 'SHORTCUT']);

/** Names of values exposed to browsers by front-end build tools: public by definition. */
const PUBLIC_PREFIX = /^(?:NEXT_PUBLIC|NUXT_PUBLIC|VITE|VITE_PUBLIC|EXPO_PUBLIC|REACT_APP_PUBLIC|GATSBY_PUBLIC|PUBLIC)_/;

export type SecretNameClass = 'secret' | 'maybe' | 'setting';

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== '');
}

function isSecretWord(w: string): boolean {
  return SECRET_HEADS.has(w) || SECRET_SUFFIXES.some((s) => w.length > s.length && w.endsWith(s));
}

/** A run-together word that starts with a secret word and goes on (`PASSWORDMINCHAR`): about a secret, not one. */
function mentionsSecret(w: string): boolean {
  return isSecretWord(w) || SECRET_SUFFIXES.some((s) => w.startsWith(s) && w.length > s.length);
}

/**
 * Classifies an environment variable name: `secret` when it names one (`JWT_SECRET`, `DB_PASSWORD`,
 * `JWT_PRIVATE_KEY_B64`), `setting` when it names a setting or nothing secret (`PASSWORD_MIN_LENGTH`,
 * `OAUTH_ENABLED`, `SSL_KEY_PATH`, `POSTHOG_PUBLIC_KEY`, `PORT`), and `maybe` when only the value can tell
 * (`REDIS_AUTH`, `FLOWISE_SECRETKEY_OVERWRITE`, `PASSWORDNUMERIC`).
 */
export function classifySecretName(name: string): SecretNameClass {
  const all = words(name);
  if (all.length === 0) return 'setting';
  if (PUBLIC_PREFIX.test(all.join('_') + '_')) return 'setting';
  let end = all.length;
  while (end > 1 && QUALIFIERS.test(all[end - 1] as string)) end--;
  const ws = all.slice(0, end);
  const head = ws[ws.length - 1] as string;
  const firstSecret = ws.findIndex(mentionsSecret);
  if (firstSecret < 0 && !AMBIGUOUS_HEADS.has(head)) return 'setting';
  // A switch or a limit about a secret: DISABLE_PASSWORD_LOGIN, CORS_ALLOW_CREDENTIALS, MAX_TOKENS.
  const before = firstSecret < 0 ? ws.slice(0, -1) : ws.slice(0, firstSecret + 1);
  if (before.some((w) => FLAG_WORDS.has(w))) return 'setting';
  if (SETTING_HEADS.has(head) || SETTING_SUFFIXES.some((s) => head.length > s.length && head.endsWith(s) && mentionsSecret(head))) return 'setting';
  if (ws.some((w) => PUBLIC_KEY_WORDS.has(w)) && (head === 'KEY' || head === 'APIKEY' || head === 'TOKEN')) return 'setting';
  if (isSecretWord(head)) return 'secret';
  return 'maybe';
}

const BOOLEAN = /^(?:true|false|yes|no|on|off|enabled?|disabled?)$/i;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const DURATION = /^(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w|y|sec|secs|min|mins|hours?|days?|weeks?))+$/i;
const ALGORITHM = /^(?:[HRE]S(?:256|384|512)|PS(?:256|384|512)|EdDSA|Ed25519|Ed448|argon2(?:id|i|d)?|bcrypt|scrypt|pbkdf2(?:[-_]sha(?:1|256|512))?|sha-?(?:1|224|256|384|512)|sha3-(?:256|384|512)|md5|blake2[bs]?|aes[-_]?(?:128|192|256)(?:[-_](?:gcm|cbc|ctr|ecb))?|chacha20(?:[-_]poly1305)?|xchacha20(?:[-_]poly1305)?|rsa(?:[-_]oaep)?|ecdsa|hmac(?:[-_]sha(?:256|384|512))?)$/i;
const PATH = /^(?:~|\.{1,2})?\/(?:[A-Za-z0-9._@-]+\/?)*$/;

/** True for a URL without credentials: no password in the userinfo and no secret-named query parameter. */
function isPlainUrl(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  if (u.password !== '' || (u.username !== '' && /:/.test(decodeURIComponent(u.username)))) return false;
  for (const k of u.searchParams.keys()) if (classifySecretName(k) !== 'setting') return false;
  return true;
}

/**
 * True when `value` is plainly a setting and not secret material: a boolean, a number, a duration (`15m`, `30d`),
 * an algorithm or mechanism name (`HS256`, `argon2id`, `aes-256-gcm`, `bearer`), a URL without credentials, or a
 * filesystem path. Used only where the name leaves the question open, or where the value cannot be the secret
 * itself (a path or a URL given for a `*_KEY`): `DB_PASSWORD=12345678` is still a weak password.
 */
export function looksLikeSettingValue(value: string): boolean {
  const v = value.trim();
  return BOOLEAN.test(v) || NUMBER.test(v) || DURATION.test(v) || ALGORITHM.test(v) || isPlainUrl(v) || PATH.test(v);
}

/**
 * True when the entry `name=value` holds a secret worth judging: a secret name whose value is not a path or a
 * credential-free URL pointing at the secret elsewhere, or an ambiguous name whose value is not plainly a setting.
 * The `_PREVIOUS` entries agentsec writes during a grace period are left out (they are judged with their secret).
 */
export function isSecretEntry(name: string, value: string): boolean {
  if (/_PREVIOUS$/i.test(name)) return false;
  const c = classifySecretName(name);
  if (c === 'setting') return false;
  const v = value.trim();
  if (c === 'secret') return !(v !== '' && (isPlainUrl(v) || PATH.test(v)));
  return !looksLikeSettingValue(v);
}
