export type SecretKind = 'env' | 'secret-file';
export type SecretEventAction = 'rotated' | 'created' | 'dropped-previous';

export interface SecretEvent {
  readonly file: string;
  readonly name: string;
  readonly kind: SecretKind;
  readonly action: SecretEventAction;
  readonly fingerprint: string | null;
  readonly at: string;
}

export interface TrackedSecret {
  readonly file: string;
  readonly name: string;
  readonly kind: SecretKind;
  /** ISO 8601 time of the last rotation or creation. */
  readonly lastRotatedAt: string;
  readonly fingerprint: string | null;
  readonly rotations: number;
}

/** Rotation history of secrets in `.env` and secrets files: no values, only keyed fingerprints. */
export interface SecretsRepository {
  lastRotation(file: string, name: string): Promise<Date | undefined>;
  /** Appends events (inside the caller's transaction, with their audit entries). */
  record(events: readonly SecretEvent[]): Promise<void>;
  /** The latest rotation or creation of every tracked secret, by file and name. */
  tracked(): Promise<TrackedSecret[]>;
}
