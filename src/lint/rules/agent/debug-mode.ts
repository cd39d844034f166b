import { isOn, settingKey, written } from '../../rule-helpers.js';
import { traefikModel } from '../../traefik-model.js';
import { fmt, type Report, type Rule } from '../../types.js';

const DEBUG = /^(?:[A-Z0-9]+_)?DEBUG(?:_MODE)?$|^(?:FLASK|DJANGO|APP|UVICORN)_DEBUG$/;
/** Auto-reload (uvicorn/gunicorn `--reload`, `UVICORN_RELOAD`): a file watcher re-executing whatever lands in the app dir. */
const RELOAD = /^(?:[A-Z0-9]+_)?(?:AUTO_)?RELOAD$/;
/** `RUST_LOG=debug`, `RUST_LOG=trace,hyper=info`: a bare level directive sets every crate's level. */
function rustLogDebug(v: string): boolean {
  return v.split(',').some((d) => /^(?:debug|trace)$/i.test(d.trim()));
}
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
      'Debug mode prints stack traces, request bodies, prompts and sometimes secrets to clients and logs, enables auto-reload and interactive debuggers (Werkzeug), and `NODE_ENV=development` switches off production hardening in many frameworks. Traefik at `log.level: DEBUG` logs every request with its headers, Authorization and cookies included; `RUST_LOG=debug|trace` and `LOG_LEVEL=debug` do the same in the servers that read them, and `--reload` runs a file watcher that re-executes whatever lands in the app directory. Command-line flags count (`--debug`, `--reload`, `--log-level debug` in compose `command:` or Kubernetes `args`), as do nested settings (`log.level: debug`). Files named for development (`*.dev.yml`, `dev-compose.yaml`) and compose projects named so (`name: app-dev`) are skipped.',
    remediation: 'Set `DEBUG=false`, `NODE_ENV=production`, `LOG_LEVEL=info` and `RUST_LOG=info` (or warn; Traefik `log.level: INFO`) and drop `--reload`/`--debug` in deploy configs; keep debug settings in a dev-only override file.',
    refs: ['https://cwe.mitre.org/data/definitions/489.html', 'https://cwe.mitre.org/data/definitions/215.html'],
    formats: ['env', 'compose', 'settings', 'k8s', 'traefik'],
    messages: { debug: '{setting} in a deploy config' },
  },
  check(doc) {
    const base = doc.file.split('/').pop() ?? doc.file;
    if (DEV_FILE.test(base.replace(/__/g, '/').split('/').pop() ?? base)) return [];
    // A compose project named for development (`name: mem0-dev`) is one too, whatever its file is called.
    const project = doc.format === 'compose' ? doc.top?.get('name') : undefined;
    if (project?.kind === 'scalar' && DEV_FILE.test(project.value ?? project.raw)) return [];
    const out: Report[] = [];
    const traefik = traefikModel(doc);
    if (traefik) {
      // A Traefik file or the command flags of a Traefik container in a compose file.
      const level = traefik.get('log.level');
      if (level && TRAEFIK_DEBUG.test(level.value.trim())) out.push({ message: fmt(this.meta.messages.debug, { setting: `log.level=${level.value.trim()}` }), at: level.at, key: `traefik:log.level` });
      if (doc.format === 'traefik') return out;
    }
    for (const s of doc.settings) {
      const v = s.value?.trim();
      if (v === undefined) continue;
      const hit =
        (DEBUG.test(s.name) && isOn(v)) ||
        (s.name === 'NODE_ENV' && /^dev(?:elopment)?$/i.test(v)) ||
        (RELOAD.test(s.name) && isOn(v)) ||
        (/(?:^|_)LOG(?:GING)?_LEVEL$|^LOGLEVEL$/.test(s.path) && /^(?:debug|trace|all|verbose)$/i.test(v)) ||
        (/^(?:RUST_LOG|RUST_LOG_LEVEL)$/.test(s.name) && rustLogDebug(v)) ||
        (s.name === 'GIN_MODE' && /^debug$/i.test(v)) ||
        (/^(?:APP_ENV|ENV|ENVIRONMENT|FLASK_ENV|RAILS_ENV|ASPNETCORE_ENVIRONMENT|DOTNET_ENVIRONMENT)$/.test(s.name) && /^dev(?:elopment)?$/i.test(v));
      if (hit) out.push({ message: fmt(this.meta.messages.debug, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
    }
    return out;
  },
};
