import { isSecretKeyName } from '../../../core/secrets/names.js';
import { asK8s } from '../../k8s-helpers.js';
import { looksLikePath, settingKey } from '../../rule-helpers.js';
import { nonSecretValue, secretsIn, urlPassword } from '../../secret-values.js';
import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'k8s/literal-secret-env',
    severity: 'high',
    title: 'secret written as a literal env value or in a ConfigMap',
    rationale: 'A secret typed into a manifest is committed with it and readable by anyone who can `get` the Deployment or ConfigMap (ConfigMaps are not treated as secret by RBAC, audit logging or encryption at rest). Secrets belong in a Secret (or an external secret store) referenced with secretKeyRef.',
    remediation: 'Move the value into a Secret and reference it: `valueFrom: {secretKeyRef: {name: app-secrets, key: API_KEY}}` (or `envFrom: [{secretRef: …}]`).',
    refs: ['https://kubernetes.io/docs/concepts/configuration/secret/', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    anchors: 'KL, T, C',
    formats: ['k8s'],
    messages: { env: '{owner} sets {key} to a literal secret', configmap: 'ConfigMap {name} holds secret {key}' },
  },
  check(doc) {
    const d = asK8s(doc);
    if (!d) return [];
    const out: Report[] = [];
    for (const s of d.settings) {
      // ConfigMap data is reported below, with the ConfigMap named.
      if (s.service?.startsWith('ConfigMap/')) continue;
      if (s.raw === undefined || s.raw.trim() === '' || looksLikePath(s.raw)) continue;
      if (s.interpolated ? urlPassword(s.raw) === undefined : !secretsIn(s, s.raw).some((x) => x.value.trim() !== '')) continue;
      out.push({ message: fmt(this.meta.messages.env, { owner: s.service ?? '', key: s.key }), at: s.valueAt, key: settingKey(s) });
    }
    for (const obj of d.objects) {
      if (obj.kind !== 'ConfigMap') continue;
      const data = obj.node.get('data');
      if (data?.kind !== 'map') continue;
      for (const e of data.entries) {
        if (e.value.kind !== 'scalar' || e.value.raw.trim() === '' || looksLikePath(e.value.raw)) continue;
        const name = e.key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
        if (!(isSecretKeyName(name) && !nonSecretValue(name, e.value.raw)) && urlPassword(e.value.raw) === undefined) continue;
        out.push({ message: fmt(this.meta.messages.configmap, { name: obj.name, key: e.key }), at: e.value.at, key: `cm:${obj.name}:${e.key}` });
      }
    }
    return out;
  },
};
