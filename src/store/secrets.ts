import type { SecretEvent, TrackedSecret } from './secrets-repo.js';

export type { SecretEvent, SecretEventAction, SecretKind, TrackedSecret } from './secrets-repo.js';

/** Rotation history of secrets in `.env` and secrets files: no values, only keyed fingerprints. */
export interface SecretsRepository {
  lastRotation(file: string, name: string): Promise<Date | undefined>;
  /** Appends events (inside the caller's transaction, with their audit entries). */
  record(events: readonly SecretEvent[]): Promise<void>;
  /** The latest rotation or creation of every tracked secret, by file and name. */
  tracked(): Promise<TrackedSecret[]>;
}
