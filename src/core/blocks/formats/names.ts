/** The names of the log formats and presets: a leaf module, so the config schema can list them without a cycle. */

/** The formats `blocks ingest` reads. `fail2ban-filter` needs a filter file; the others are built in. */
export const LOG_FORMATS = ['nginx', 'clf', 'traefik-clf', 'traefik-json', 'caddy-json', 'json', 'logfmt', 'journald', 'fail2ban-filter'] as const;
export type LogFormatName = (typeof LOG_FORMATS)[number];

/** The built-in field and event maps (see presets.ts). */
export const PRESETS = ['source-ip', 'remote-addr', 'client-ip', 'traefik', 'caddy', 'logfmt'] as const;
export type PresetName = (typeof PRESETS)[number];
