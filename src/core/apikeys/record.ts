/** An API key as stored: everything but the key itself, of which only an HMAC is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  /** Last four characters of the key (part of the public checksum), for the display form. */
  readonly last4: string;
  /** A role name of the role table (built-in or configured); resolved at verification, not frozen here. */
  readonly role: string | null;
  readonly scopes: readonly string[];
  /** Canonical CIDRs; empty means any address. */
  readonly allowIps: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly revokeReason: string | null;
  readonly lastUsedAt: number | null;
  readonly rotatedFrom: string | null;
  readonly rotatedTo: string | null;
}

/** What issuing a key needs, validated (see the CLI's option parsing): everything of the record but ids and times. */
export interface IssueInput {
  readonly name: string;
  readonly role: string | null;
  readonly scopes: string[];
  readonly expiresAt: number | null;
  readonly allowIps: string[];
  readonly prefix: string;
  readonly meta: Record<string, string>;
}

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export function keyStatus(r: ApiKeyRecord, now: number): ApiKeyStatus {
  if (r.revokedAt !== null) return 'revoked';
  if (r.expiresAt !== null && r.expiresAt <= now) return 'expired';
  return 'active';
}

/** The public view of a record (list/show/verify JSON): never the key, never its HMAC. */
export function publicView(r: ApiKeyRecord, now: number): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: r.id,
    name: r.name,
    display: `${r.prefix}_…${r.last4}`,
    prefix: r.prefix,
    status: keyStatus(r, now),
    role: r.role,
    scopes: [...r.scopes],
    allowIps: [...r.allowIps],
    meta: { ...r.meta },
    createdAt: iso(r.createdAt),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    revokeReason: r.revokeReason,
    lastUsedAt: iso(r.lastUsedAt),
    rotatedFrom: r.rotatedFrom,
    rotatedTo: r.rotatedTo,
  };
}
