import { isLlmKeyName } from '../../../core/secrets/names.js';
import { isSigningSecretName } from '../../../core/secrets/weak.js';
import type { Setting } from '../../document.js';
import { looksLikePath, settingKey } from '../../rule-helpers.js';
import { contextWords, secretFamily, secretsIn, weakReason, type SecretValue } from '../../secret-values.js';
import { fmt, type Report, type Rule } from '../../types.js';

/** A name that is a credential of the server itself (a password, a signing or master key), where empty means "none". */
const EMPTY_MATTERS = /(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|SALT)$/;
/** Settings that say where a group of settings connects to; all empty, the group (and its password) is unused. */
const GROUP_TARGET = /^(.+?)_(?:HOST|HOSTNAME|URL|URI|ENDPOINT|ADDR|ADDRESS|SERVER|USER|USERNAME|PORT)$/;

/**
 * An empty secret is a finding only where empty means "no secret": a signing or master key, or a password of a
 * service the file configures. Provider API keys and the keys of optional integrations are empty when unused, and a
 * password whose group's host and user are empty too (`GAUSSDB_HOST=`, `GAUSSDB_PASSWORD=`) belongs to a feature
 * that is switched off.
 */
function emptyMatters(s: Setting, settings: readonly Setting[]): boolean {
  if (isLlmKeyName(s.name)) return false;
  if (!isSigningSecretName(s.name) && !EMPTY_MATTERS.test(s.name)) return false;
  const prefix = s.name.replace(/_?(?:PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|SALT|SECRET|KEY|SECRET_KEY)$/, '');
  if (prefix === '') return true;
  const group = settings.filter((o) => o.service === s.service && GROUP_TARGET.exec(o.name)?.[1] === prefix);
  return !(group.length > 0 && group.every((o) => (o.value ?? '').trim() === ''));
}

export const rule: Rule = {
  meta: {
    id: 'agent/default-secret',
    severity: 'critical',
    title: 'secret set to a template, default, empty or weak value',
    rationale:
      'Template secrets (`change-in-production`, `mysecret`, `t0p-s3cr3t`, `sk-1234`, `__REPLACE_ME__`, `your-jwt-secret`, an all-zero key) ship in READMEs and example files and are the first thing an attacker tries: a JWT or session secret anyone can read lets them mint admin tokens. So are passwords built from the project, service or user name (`ragflow2024`, `letta123`). Signing secrets shorter than 32 random bytes can be brute-forced offline from one captured token. One value reused for secrets of different purposes (the JWT secret as the session secret, one password for Redis and PostgreSQL) turns one leak into several. Secrets are found by name, in lists of keys (`API_KEYS`), as the password of a connection URL, in every entry of a Kubernetes Secret (base64 decoded) and in Docker secrets files; booleans, numbers and durations are never secret values. An empty value is a finding only where it means "no secret" (a signing key, a password of a configured service), and never in templates, where it is a placeholder.',
    remediation: 'Generate a fresh random value per secret (`openssl rand -hex 32`) and keep it out of the repository; in compose, reference it as `${NAME}` from a git-ignored .env or a secrets manager.',
    refs: ['https://cwe.mitre.org/data/definitions/1392.html', 'https://cwe.mitre.org/data/definitions/798.html', 'https://cwe.mitre.org/data/definitions/521.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    supersedes: ['compose/literal-secret-env', 'compose/secret-inline-default', 'env/committed-secrets', 'k8s/literal-secret-env'],
    messages: {
      weak: '{key}{what} is {reason}',
      template: '{key}{what} ships as {reason}: deployments that copy this template run with it',
      secretFile: 'secret {name} ({file}) is {reason}',
      reused: '{key} reuses the value of {other}: one leak exposes both',
    },
  },
  check(doc) {
    const out: Report[] = [];
    // A template or example ships the values deployments copy: an empty one is a placeholder, a default one is deployed.
    const template = doc.template === true || (doc.format === 'env' && doc.example);
    // The guessable names of the document, only computed when a secret passes the cheaper checks.
    let words: Set<string> | undefined;
    const wordsOf = (): Set<string> => (words ??= contextWords(doc));
    // Cross-file: a compose service's env_file holding template secrets is reported in that file.
    // Likewise a Kubernetes Secret holding one (`stringData`, or `data` once decoded), where every entry is a secret.
    const envFile = doc.format === 'compose' ? (doc.envFileSettings ?? []) : doc.format === 'k8s' ? (doc.secretData ?? []) : [];
    const seen = new Map<string, { s: Setting; family: string }>();
    for (const s of [...doc.settings, ...envFile]) {
      if (s.raw === undefined || s.value === undefined) continue;
      const everyKey = s.service?.startsWith('Secret/') === true;
      for (const sv of secretsIn(s, s.value, { everyKey })) {
        const value = sv.value;
        // `${SECRET:-}`: an empty default only says "unset unless given", which is not a value written here.
        if (value === '' && (template || s.origin.kind !== 'literal' || !emptyMatters(s, doc.settings))) continue;
        if (value.includes('${') || looksLikePath(value)) continue;
        const reason = weakReason(value, s.name, wordsOf);
        if (reason) {
          out.push({ message: fmt(template ? this.meta.messages.template : this.meta.messages.weak, { key: s.key, what: what(sv), reason }), at: s.valueAt, key: settingKey(s) });
          continue;
        }
        // Reuse across purposes, only of values written here (not two references to one variable) and not in templates.
        const family = secretFamily(s.name);
        if (template || family === undefined || s.origin.kind === 'var' || value.length < 8) continue;
        const first = seen.get(value);
        if (first === undefined) seen.set(value, { s, family });
        else if (first.family !== family) out.push({ message: fmt(this.meta.messages.reused, { key: s.key, other: first.s.key }), at: s.valueAt, key: `reuse:${settingKey(s)}`, severity: 'high' });
      }
    }
    // Cross-file: Docker secrets read from files (`secrets: {db: {file: ./secrets/db}}`), judged by the secret's name.
    // The finding goes on the compose line: the secret file holds the value alone and cannot carry a suppression.
    if (doc.format === 'compose') {
      for (const f of doc.secretFiles ?? []) {
        if (f.value === undefined || /^-----BEGIN /.test(f.value.trim())) continue;
        const reason = weakReason(f.value, f.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'), wordsOf);
        if (reason) out.push({ message: fmt(this.meta.messages.secretFile, { name: f.name, file: f.file, reason }), at: f.at, key: `secret:${f.name}` });
      }
    }
    return out;
  },
};

function what(sv: SecretValue): string {
  return sv.via === 'url' ? ' (the password in the URL)' : sv.via === 'list' ? ' (one of its keys)' : '';
}
