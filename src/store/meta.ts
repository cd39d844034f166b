/** Key/value facts about the store itself (created_at, created_by, the audit chain's public key and origin). */
export interface MetaRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Sets the value only if the key is absent; true when it did. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
}
