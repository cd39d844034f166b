import { isSecretKeyName } from '../core/secrets/names.js';
import { isSigningSecretName, weakSecretReason } from '../core/secrets/weak.js';
import type { LintDocument } from './document.js';
import type { Setting } from './setting.js';

/**
 * Which values of a config are secrets, and which secrets are weak, as the lint rules see them. The names alone
 * (core/secrets/names.ts) over-match on settings of secret-related features (`CORS_ALLOW_CREDENTIALS=true`,
 * `PASSWORD_RESET_MIN_RESPONSE_MS=250`, `RATE_LIMIT_MAX_PER_KEY=10`); the value decides those. And a secret can hide
 * where no name says so: in a connection URL, in a list of keys, in any entry of a Kubernetes Secret.
 */

/** A name that *is* a password: even digits are its value (`REDIS_PASSWORD=123456` is a weak password, not a count). */
const PASSWORD_WORD = /(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|PIN|PASSPHRASE|SECRET)$/;

const BOOLEAN = /^(?:true|false|yes|no|on|off)$/i;
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const DURATION = /^\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w|y|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?)$/i;
const SIZE = /^\d+(?:\.\d+)?\s*(?:[kmgt]i?b?|bytes?)$/i;

/**
 * A boolean, a number or a duration: the value of a switch or a limit, never a secret, whatever the name says.
 * Numbers are kept only under a name that is itself a password (`DB_PASSWORD=123456`).
 */
export function nonSecretValue(name: string, value: string): boolean {
  const v = unquote(value.trim());
  if (BOOLEAN.test(v) || DURATION.test(v) || SIZE.test(v)) return true;
  // A count, a size or a port is short and has no leading zero; 64 zeros (an all-zero key) is a key.
  return NUMBER.test(v) && v.replace(/^[-+]/, '').length <= 10 && !/^0\d/.test(v) && !PASSWORD_WORD.test(name);
}

/** Names of lists of secrets (`API_KEYS=a,b`, `auth.tokens: [..]`), each item a secret of its own. */
const LIST_NAME = /(?:^|_)(?:API|ACCESS|SECRET|AUTH|BEARER|ADMIN|MASTER|SIGNING|ENCRYPTION|SERVICE|CLIENT|APP|VALID|ALLOWED)_(?:KEYS|TOKENS)$|^(?:KEYS|TOKENS|API_KEYS|SECRETS|PASSWORDS)$|(?:^|_)(?:SECRETS|PASSWORDS)$/;
const NOT_LIST = /PUBLIC|(?:^|_)(?:MAX|NUM|TOTAL|MIN)_/;

export function isSecretListName(name: string): boolean {
  return LIST_NAME.test(name) && !NOT_LIST.test(name);
}

/** Entry names of a Kubernetes Secret that hold no secret: who and where, not the credential. */
const NOT_SECRET_ENTRY = /(?:^|_)(?:USER|USERNAME|LOGIN|EMAIL|HOST|HOSTNAME|PORT|DB|DATABASE|DBNAME|NAME|SCHEMA|REGION|BUCKET|ENDPOINT|URL|URI|ADDRESS|DOMAIN|ID|TYPE|MODE|VERSION|NAMESPACE|CA|CA_CRT|CRT|CERT|CERTIFICATE|PUB|PUBLIC_KEY)$/;

/** `scheme://user:password@host`: the password written in the URL (not when it is a `${VAR}` or empty). */
export function urlPassword(value: string): string | undefined {
  if (!value.includes('://')) return undefined;
  const m = /^\s*[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@[^\s]/i.exec(value);
  const pw = m?.[1];
  if (pw === undefined || pw.includes('$') || pw.includes('{{')) return undefined;
  try {
    return decodeURIComponent(pw);
  } catch {
    return pw;
  }
}

/** One secret written in a setting: the value (a whole value, one list item, or a URL's password) and how it was found. */
export interface SecretValue {
  readonly value: string;
  readonly via: 'name' | 'list' | 'url';
}

/**
 * The secrets `text` (a setting's value as the rule reads it) holds under the setting's name. `everyKey`: the
 * setting is an entry of a Kubernetes Secret, where every entry is a secret unless its name says who or where.
 */
export function secretsIn(s: Setting, text: string | undefined, opts: { readonly everyKey?: boolean } = {}): SecretValue[] {
  if (text === undefined) return [];
  const pw = urlPassword(text);
  if (pw !== undefined) return [{ value: pw, via: 'url' }];
  if (isSecretListName(s.name)) {
    return text
      .split(/[\s,;]+/)
      .map((x) => unquote(x.trim()))
      .filter((x) => x !== '' && !nonSecretValue(s.name, x))
      .map((value) => ({ value, via: 'list' as const }));
  }
  const named = isSecretKeyName(s.name) || (opts.everyKey === true && !NOT_SECRET_ENTRY.test(s.name));
  if (!named || nonSecretValue(s.name, text)) return [];
  return [{ value: text, via: 'name' }];
}

/** Whether a setting names a secret at all (its value aside): by name, as a list of secrets, or holding a URL. */
export function mayHoldSecret(s: Setting): boolean {
  return isSecretKeyName(s.name) || isSecretListName(s.name);
}

/** Placeholder markers templates use: `__REPLACE_ME__`, `%%SECRET%%`, `@@TOKEN@@`, `<<password>>`, `REPLACE_WITH_…`. */
const MARKERS: readonly RegExp[] = [
  /^(?:__|%%|@@|\$\$|##)[A-Za-z0-9_.-]+(?:__|%%|@@|\$\$|##)$/,
  /^%[A-Z0-9_]+%$/,
  /^<<[^<>]*>>$/,
  /^\[\[[^[\]]*\]\]$/,
  /^(?:replace|change|set|update|fill|put|insert|enter|add)[-_ ]?(?:me|this|it|with|in|here|your|the)\b/i,
  /^to[-_ ]?be[-_ ]?(?:set|replaced|changed|filled|generated)/i,
  /^(?:generate|generated|random)[-_ ]?(?:a|one|me|it|this|here|with|using|by)?[-_ ]?(?:secret|key|token|password|value|string)?$/i,
];

/** Words only a person writes into a template secret (`your-jwt-secret`, `super-secret-key-for-dev`). */
const TEMPLATE_WORDS = /(?:^|[-_ .])(?:secret|password|passwd|token|key|change|changeme|default|example|sample|dummy|insecure|placeholder|todo|fixme|replace|demo|test|dev|local)(?:$|[-_ .])/i;

/** `your-256-bit-secret`, `yourSecretKey`: "your" followed by what to put there. */
const YOUR = /^your[-_ .a-z0-9]*?(?:secret|key|token|password|passwd|pass|salt|apikey|credentials?)[-_ .a-z0-9]*$/i;

/**
 * Why a secret is weak beyond the known-defaults list: a placeholder marker, a phrase of template words, or a
 * project/service/user name with digits (`ragflow2024`, `letta123`). Never repeats the value. `words` are the names
 * a guesser would try first (see contextWords).
 */
export function weakBeyondDefaults(value: string, words: ReadonlySet<string> | (() => ReadonlySet<string>)): string | undefined {
  const v = unquote(value.trim());
  // Placeholders are short; a long value (a key, a certificate) is never one, and is not run through the patterns.
  if (v === '' || v.length > 200) return undefined;
  if (MARKERS.some((re) => re.test(v))) return 'a template placeholder';
  if (YOUR.test(v)) return 'a known template or default value';
  // A few short words, one of them a template word, no run of digits: a phrase a person typed as a placeholder
  // (`super-secret-key-for-dev`), never a generated token (`sk_test_51H…` has a long random part).
  if (v.length <= 80 && /^[a-z]{1,12}(?:[-_ .][a-z0-9]{1,12}){1,10}$/i.test(v) && TEMPLATE_WORDS.test(v) && !/\d{4,}/.test(v)) return 'a known template or default value';
  const n = v.toLowerCase().replace(/[-_ .@!#*]/g, '');
  // A name with digits is short; a long value (a generated key) is never one, and needs no list of names.
  if (n.length > 40) return undefined;
  for (const w of typeof words === 'function' ? words() : words) {
    if (!n.includes(w)) continue;
    const rest = n.startsWith(w) ? n.slice(w.length) : n.endsWith(w) ? n.slice(0, -w.length) : undefined;
    if (rest !== undefined && /^(?:(?:pass(?:word)?|pwd|secret|admin|db|key|root|user)?\d{0,8}|\d{0,8}(?:pass(?:word)?|pwd|secret|admin|db|key|root|user)?)$/.test(rest)) return 'built from a project, service or user name (guessable)';
  }
  return undefined;
}

/**
 * Everything that makes a secret weak: empty, a known default or template (core/secrets/weak.ts), too little
 * randomness for a signing secret, or one of the cases of weakBeyondDefaults.
 */
export function weakReason(value: string, name: string, words: ReadonlySet<string> | (() => ReadonlySet<string>)): string | undefined {
  return weakSecretReason(value, isSigningSecretName(name) ? { minBits: 256 } : {}) ?? weakBeyondDefaults(value, words);
}

/** Too common to tell a project apart; they still count when a value is exactly one of them plus digits. */
const MIN_WORD = 3;

/**
 * The names a guesser tries first for this document: the directories of its path (`infiniflow/ragflow/docker`),
 * compose service and image names and the project `name:`, the prefixes of its keys (`MINIO` of `MINIO_PASSWORD`)
 * and the values of its user and database names (`POSTGRES_USER=letta`).
 */
export function contextWords(doc: LintDocument): Set<string> {
  const out = new Set<string>();
  const add = (raw: string | undefined): void => {
    if (!raw) return;
    for (const part of raw.toLowerCase().split(/[/\\]|__/)) {
      const joined = part.replace(/\.[a-z0-9]+$/, '').replace(/[^a-z0-9]/g, '');
      if (joined.length >= MIN_WORD && !/^\d+$/.test(joined)) out.add(joined);
      for (const w of part.split(/[^a-z0-9]+/)) if (w.length >= MIN_WORD && !/^\d+$/.test(w)) out.add(w);
    }
  };
  for (const seg of doc.file.split('/').slice(0, -1)) add(seg);
  if (doc.format === 'compose') {
    for (const svc of doc.services) {
      add(svc.name);
      const img = svc.image?.value ?? svc.image?.raw;
      if (img) add(img.split(':')[0]?.split('/').pop());
    }
    const name = doc.top?.get('name');
    if (name?.kind === 'scalar') add(name.value);
  }
  for (const s of doc.settings) {
    const prefix = s.name.split('_')[0];
    if (prefix && prefix !== s.name) add(prefix);
    if (/(?:^|_)(?:USER|USERNAME|DB|DATABASE|DB_NAME|DATABASE_NAME|PROJECT|PROJECT_NAME|APP_NAME|TENANT)$/.test(s.name) && s.value && s.value.length <= 40 && !s.value.includes('$')) add(s.value);
  }
  return out;
}

/** What a secret is for, where the name tells (`JWT_SECRET` and `GOTRUE_JWT_SECRET` are one secret, `SALT` another). */
const FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['refresh', /REFRESH/],
  ['jwt', /JWT/],
  ['nextauth', /NEXTAUTH/],
  ['session', /SESSION|COOKIE/],
  ['csrf', /CSRF|XSRF/],
  ['salt', /SALT/],
  ['encryption', /ENCRYPT|CRYPTO|CREDS_KEY|CREDS_IV/],
  ['postgres', /POSTGRES|(?:^|_)PG(?:_|$)|PGVECTOR/],
  ['mysql', /MYSQL|MARIADB/],
  ['redis', /REDIS|VALKEY/],
  ['mongo', /MONGO/],
  ['minio', /MINIO|(?:^|_)S3_|AWS_SECRET/],
  ['elastic', /ELASTIC|OPENSEARCH/],
  ['clickhouse', /CLICKHOUSE/],
  ['rabbitmq', /RABBIT|AMQP/],
  ['smtp', /SMTP|(?:^|_)MAIL/],
  ['meili', /MEILI/],
  ['qdrant', /QDRANT/],
];

/**
 * The purpose of a secret by its name, or undefined when the name does not say (`API_KEY`, `DB_PASSWORD`): only two
 * secrets whose names name different purposes are "different secrets" — a client and a server often name one
 * shared credential differently, and that is not reuse.
 */
export function secretFamily(name: string): string | undefined {
  return FAMILIES.find(([, re]) => re.test(name))?.[0];
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}
