import { isSigningSecretName, weakSecretReason } from '../../../core/secrets/weak.js';
import { isSecretKeyName } from '../../../core/secrets/names.js';
import { looksLikePath, settingKey } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'agent/default-secret',
    severity: 'critical',
    title: 'secret set to a template, default, empty or weak value',
    rationale:
      'Template secrets (`change-in-production`, `mysecret`, `t0p-s3cr3t`, `sk-1234`, an all-zero key) ship in READMEs and example files and are the first thing an attacker tries: a JWT or session secret anyone can read lets them mint admin tokens. Signing secrets shorter than 32 random bytes can be brute-forced offline from one captured token. In example files an empty value is a placeholder and is not reported; in deployed files it is.',
    remediation: 'Generate a fresh random value (`openssl rand -hex 32`) and keep it out of the repository; in compose, reference it as `${NAME}` from a git-ignored .env or a secrets manager.',
    refs: ['https://cwe.mitre.org/data/definitions/1392.html', 'https://cwe.mitre.org/data/definitions/798.html'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    supersedes: ['compose/literal-secret-env', 'compose/secret-inline-default', 'env/committed-secrets', 'k8s/literal-secret-env'],
    messages: { weak: '{key} is {reason}', template: '{key} ships as {reason}: deployments that copy this template run with it', secretFile: 'secret {name} ({file}) is {reason}' },
  },
  check(doc) {
    const out: Report[] = [];
    // A template or example ships the values deployments copy: an empty one is a placeholder, a default one is deployed.
    const example = doc.template === true || (doc.format === 'env' && doc.example);
    // Cross-file: a compose service's env_file holding template secrets is reported in that file.
    // Likewise a Kubernetes Secret holding one (`stringData`, or `data` once decoded).
    const envFile = doc.format === 'compose' ? (doc.envFileSettings ?? []) : doc.format === 'k8s' ? (doc.secretData ?? []) : [];
    for (const s of [...doc.settings, ...envFile]) {
      if (!isSecretKeyName(s.name) || s.raw === undefined) continue;
      const value = s.value;
      if (value === undefined) continue;
      // `${SECRET:-}`: an empty default only says "unset unless given", which is not a value written here.
      if (value === '' && (example || s.origin.kind !== 'literal')) continue;
      if (value.includes('${') || looksLikePath(value)) continue;
      const reason = weakSecretReason(value, isSigningSecretName(s.name) ? { minBits: 256 } : {});
      if (!reason) continue;
      out.push({ message: fmt(example ? this.meta.messages.template : this.meta.messages.weak, { key: s.key, reason }), at: s.valueAt, key: settingKey(s) });
    }
    // Cross-file: Docker secrets read from files (`secrets: {db: {file: ./secrets/db}}`), judged by the secret's name.
    // The finding goes on the compose line: the secret file holds the value alone and cannot carry a suppression.
    if (doc.format === 'compose') {
      for (const f of doc.secretFiles ?? []) {
        if (f.value === undefined || /^-----BEGIN /.test(f.value.trim())) continue;
        const reason = weakSecretReason(f.value, isSigningSecretName(f.name) ? { minBits: 256 } : {});
        if (reason) out.push({ message: fmt(this.meta.messages.secretFile, { name: f.name, file: f.file, reason }), at: f.at, key: `secret:${f.name}` });
      }
    }
    return out;
  },
};
