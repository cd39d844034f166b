import { isOn, settingKey } from '../../rule-helpers.js';
import { traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

const DEBUG = /^(?:[A-Z0-9]+_)?DEBUG(?:_MODE)?$|^(?:FLASK|DJANGO|APP|UVICORN)_DEBUG$/;
/** Traefik's own log level (`log.level`, `--log.level`): DEBUG logs request headers, including Authorization. */
const TRAEFIK_DEBUG = /^(?:debug|trace)$/i;
/** Files named for development (`docker-compose.dev.yml`, `dev-compose.yaml`) are not deploy configs. */
const DEV_FILE = /(?:^|[._-])(?:dev|development|local|test|testing|debug)(?:[._-]|$)/i;

export const rule: Rule = {
  meta: {
    id: 'agent/debug-mode',
    severity: 'medium',
    title: 'debug mode in a deploy config',
    rationale:
      'Debug mode prints stack traces, request bodies, prompts and sometimes secrets to clients and logs, enables auto-reload and interactive debuggers (Werkzeug), and `NODE_ENV=development` switches off production hardening in many frameworks. Traefik at `log.level: DEBUG` logs every request with its headers, Authorization and cookies included. Files named for development (`*.dev.yml`, `dev-compose.yaml`) are skipped.',
    remediation: 'Set `DEBUG=false`, `NODE_ENV=production` and `LOG_LEVEL=info` (or warn; Traefik `log.level: INFO`) in deploy configs; keep debug settings in a dev-only override file.',
    refs: ['https://cwe.mitre.org/data/definitions/489.html', 'https://cwe.mitre.org/data/definitions/215.html'],
    formats: ['env', 'compose', 'settings', 'k8s', 'traefik'],
    messages: { debug: '{key}={value} in a deploy config' },
  },
  check(doc) {
    const base = doc.file.split('/').pop() ?? doc.file;
    if (DEV_FILE.test(base.replace(/__/g, '/').split('/').pop() ?? base)) return [];
    const out: Report[] = [];
    const traefik = traefikModel(doc);
    if (traefik) {
      // A Traefik file or the command flags of a Traefik container in a compose file.
      const level = traefik.get('log.level');
      if (level && TRAEFIK_DEBUG.test(level.value.trim())) out.push({ message: fmt(this.meta.messages.debug, { key: 'log.level', value: level.value.trim() }), at: level.at, key: `traefik:log.level` });
      if (doc.format === 'traefik') return out;
    }
    for (const s of doc.settings) {
      const v = s.value?.trim();
      if (v === undefined) continue;
      const hit =
        (DEBUG.test(s.name) && isOn(v)) ||
        (s.name === 'NODE_ENV' && /^dev(?:elopment)?$/i.test(v)) ||
        (/(?:^|_)LOG_LEVEL$|^LOGLEVEL$/.test(s.path) && /^(?:debug|trace|all|verbose)$/i.test(v)) ||
        (/^(?:APP_ENV|ENV|ENVIRONMENT|FLASK_ENV|RAILS_ENV)$/.test(s.name) && /^dev(?:elopment)?$/i.test(v));
      if (hit) out.push({ message: fmt(this.meta.messages.debug, { key: s.key, value: v }), at: s.valueAt, key: settingKey(s) });
    }
    return out;
  },
};
