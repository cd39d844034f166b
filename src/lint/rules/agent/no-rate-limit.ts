import { isOff, settingKey, written } from '../../rule-helpers.js';
import { fmt, type Report, type Rule } from '../../types.js';

const SWITCH = /^(?:[A-Z0-9]+_)?(?:RATE_LIMIT(?:ING)?(?:_ENABLED)?|ENABLE_RATE_LIMIT(?:ING)?|AUTO_BLOCK(?:_ENABLED)?|BRUTE_FORCE_PROTECTION(?:_ENABLED)?|LOGIN_THROTTLE(?:_ENABLED)?)$/;
const ATTEMPTS = /^(?:[A-Z0-9]+_)?(?:MAX_FAILED_(?:LOGIN_)?ATTEMPTS|MAX_LOGIN_ATTEMPTS|LOCKOUT_THRESHOLD)$|^(?:AUTH|LOGIN|LOCKOUT)_MAX_ATTEMPTS$/;
/** A request budget (per IP, key, user or window): 0 or a negative number is how most servers spell "unlimited". */
const BUDGET = /^(?:[A-Z0-9]+_)*(?:MAX_REQUESTS?_PER_[A-Z]+|REQUESTS?_PER_(?:SECOND|MINUTE|HOUR|DAY|IP|USER|KEY)|RATE_LIMIT_(?:MAX(?:_REQUESTS?)?|REQUESTS?|LIMIT|PER_(?:SECOND|MINUTE|HOUR|DAY|IP|USER|KEY))|(?:RPM|RPS|TPM)_LIMIT|THROTTLE_(?:LIMIT|RATE))$/;
const PER_MINUTE = /^(?:AUTH|LOGIN)_(?:RATE_LIMIT|ATTEMPTS)(?:_PER_MINUTE|_PER_MIN)?$|^(?:AUTH|LOGIN)_RATE_LIMIT_MAX$/;

export const rule: Rule = {
  meta: {
    id: 'agent/no-rate-limit',
    severity: 'medium',
    title: 'no rate limit or lockout on authentication',
    rationale:
      'Without rate limits and an account/IP lockout, API keys and passwords can be guessed at line speed, and an LLM-backed endpoint can be driven to spend the provider budget. More than 10 failed attempts before a block, or more than 5 authentication attempts a minute per IP, leaves guessing practical; a request budget of 0 or less (`MAX_REQUEST_PER_HOUR: 0`) is how most servers spell unlimited.',
    remediation: 'Keep rate limiting and auto-blocking on, set `MAX_FAILED_ATTEMPTS` to 10 or fewer (5 is common) and limit authentication to 5 attempts a minute per IP (see `agentsec blocks`).',
    refs: ['https://cwe.mitre.org/data/definitions/307.html', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
    formats: ['env', 'compose', 'settings', 'k8s'],
    messages: { off: '{setting} turns rate limiting off', unlimited: '{setting} sets no request limit (0 or less means unlimited)', attempts: '{setting} allows more than 10 failed attempts', perMinute: '{setting} allows more than 5 authentication attempts a minute', unset: 'agent-server settings without MAX_FAILED_ATTEMPTS: failed logins are never blocked' },
  },
  check(doc) {
    const out: Report[] = [];
    let hasAttempts = false;
    let rateKnobs = false;
    for (const s of doc.settings) {
      const v = s.value;
      if (ATTEMPTS.test(s.name)) hasAttempts = true;
      if (SWITCH.test(s.name) || /^(?:WS_)?AUTH_ENABLED$/.test(s.name)) rateKnobs = true;
      if (v === undefined) continue;
      if (SWITCH.test(s.name) && isOff(v)) out.push({ message: fmt(this.meta.messages.off, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      else if (ATTEMPTS.test(s.name) && /^\d+$/.test(v.trim()) && (Number(v) > 10 || Number(v) === 0)) out.push({ message: fmt(this.meta.messages.attempts, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      else if (BUDGET.test(s.name) && !PER_MINUTE.test(s.name) && /^-?\d+$/.test(v.trim()) && Number(v) <= 0) out.push({ message: fmt(this.meta.messages.unlimited, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
      else if (PER_MINUTE.test(s.name) && /^\d+$/.test(v.trim()) && Number(v) > 5) out.push({ message: fmt(this.meta.messages.perMinute, { key: s.key, setting: written(s, v), value: v }), at: s.valueAt, key: settingKey(s) });
    }
    const first = doc.settings[0];
    if (doc.format !== 'compose' && doc.agentServer && rateKnobs && !hasAttempts && first) {
      out.push({ message: this.meta.messages.unset as string, at: first.at, key: 'unset:MAX_FAILED_ATTEMPTS' });
    }
    return out;
  },
};
