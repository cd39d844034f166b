import { assessSecret, type WeakReason } from './strength.js';

export type SecretState = 'ok' | 'overdue' | 'weak' | 'untracked' | 'missing';

export interface SecretStatusRow {
  readonly file: string;
  readonly name: string;
  readonly kind: 'env' | 'secret-file';
  readonly tracked: boolean;
  readonly lastRotatedAt: string | null;
  readonly ageMs: number | null;
  readonly overdue: boolean;
  readonly weak: boolean;
  readonly reasons: WeakReason[];
  /** The value no longer matches the fingerprint of the last rotation: someone changed it by hand. */
  readonly changedOutsideAgentsec: boolean | null;
  readonly state: SecretState;
}

export interface StatusInput {
  readonly file: string;
  readonly name: string;
  readonly kind: 'env' | 'secret-file';
  readonly lastRotatedAt: string | null;
  readonly storedFingerprint: string | null;
  /** The current value, or undefined when the file or the name is gone. */
  readonly value: string | undefined;
}

/**
 * Judges one secret: overdue when its last rotation is older than `maxAgeMs`; weak per {@link assessSecret}.
 * `fingerprint` computes the keyed fingerprint of the current value, to notice hand edits.
 */
export function secretStatus(input: StatusInput, now: Date, maxAgeMs: number, fingerprint: (value: string) => string): SecretStatusRow {
  const ageMs = input.lastRotatedAt ? Math.max(0, now.getTime() - new Date(input.lastRotatedAt).getTime()) : null;
  const overdue = ageMs !== null && ageMs > maxAgeMs;
  const strength = input.value !== undefined ? assessSecret(input.value) : undefined;
  const weak = strength?.weak ?? false;
  const changed = input.value !== undefined && input.storedFingerprint !== null ? fingerprint(input.value) !== input.storedFingerprint : null;
  const state: SecretState =
    input.value === undefined ? 'missing' : weak ? 'weak' : overdue ? 'overdue' : input.lastRotatedAt === null ? 'untracked' : 'ok';
  return {
    file: input.file,
    name: input.name,
    kind: input.kind,
    tracked: input.lastRotatedAt !== null,
    lastRotatedAt: input.lastRotatedAt,
    ageMs,
    overdue,
    weak,
    reasons: strength?.reasons ?? [],
    changedOutsideAgentsec: changed,
    state,
  };
}
