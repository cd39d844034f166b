import { credentialDisplay } from '../../core/serve/credentials.js';
import type { CredentialRecord } from '../../store/serve-credentials.js';

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The JSON shape of an app token or a bouncer in `--json`: never the secret, never its hash. */
export function credentialView(r: CredentialRecord): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    [r.kind === 'app' ? 'token' : 'key']: credentialDisplay(r.kind, r.last4),
    ...(r.kind === 'app' ? { scopes: [...r.scopes] } : {}),
    status: r.revokedAt === null ? 'active' : 'revoked',
    createdAt: iso(r.createdAt),
    revokedAt: iso(r.revokedAt),
    lastUsedAt: iso(r.lastUsedAt),
  };
}
