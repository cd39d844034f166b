/**
 * How strong a secret value looks: its length, an entropy estimate, and whether it is a known template or default
 * value (judged by `weak.ts`, shared with the linter). Pure.
 */
import { isKnownDefaultSecret } from './weak.js';

/**
 * True when `value` is a known template default or looks like a placeholder: the same judgement as the linter's
 * `agent/default-secret`, from one list in `weak.ts`.
 */
export function isKnownDefault(value: string): boolean {
  return isKnownDefaultSecret(value);
}

function charsetSize(value: string): number {
  let size = 0;
  if (/[a-z]/.test(value)) size += 26;
  if (/[A-Z]/.test(value)) size += 26;
  if (/[0-9]/.test(value)) size += 10;
  if (/[^a-zA-Z0-9]/.test(value)) size += 33;
  return size;
}

/**
 * A rough upper-bound-free entropy estimate in bits: length × log2(character set), scaled down by how few distinct
 * characters the value uses compared with what a random string of that length would use. `aaaa…` and `abab…` score
 * near zero; 32 random bytes in base64url or hex score above 200. It cannot see dictionary words: that is what the
 * known-defaults list is for.
 */
export function estimateEntropyBits(value: string): number {
  const chars = [...value];
  const n = chars.length;
  if (n === 0) return 0;
  const size = charsetSize(value);
  const distinct = new Set(chars).size;
  const expectedDistinct = size * (1 - Math.pow(1 - 1 / size, n));
  const spread = Math.min(1, distinct / expectedDistinct);
  return Math.round(n * Math.log2(size) * spread * 10) / 10;
}

export interface StrengthPolicy {
  readonly minLength: number;
  readonly minEntropyBits: number;
}

/** 16 characters and 64 estimated bits: below that a secret is guessable offline. */
export const DEFAULT_POLICY: StrengthPolicy = { minLength: 16, minEntropyBits: 64 };

export type WeakReason = 'empty' | 'known-default' | 'too-short' | 'low-entropy';

export interface StrengthReport {
  readonly length: number;
  readonly entropyBits: number;
  readonly knownDefault: boolean;
  readonly weak: boolean;
  readonly reasons: WeakReason[];
}

/** Judges a secret value. Never returns or embeds the value itself. */
export function assessSecret(value: string, policy: StrengthPolicy = DEFAULT_POLICY): StrengthReport {
  const length = [...value].length;
  const entropyBits = estimateEntropyBits(value);
  const knownDefault = isKnownDefault(value);
  const reasons: WeakReason[] = [];
  if (length === 0) reasons.push('empty');
  if (knownDefault) reasons.push('known-default');
  if (length > 0 && length < policy.minLength) reasons.push('too-short');
  if (length > 0 && entropyBits < policy.minEntropyBits) reasons.push('low-entropy');
  return { length, entropyBits, knownDefault, weak: reasons.length > 0, reasons };
}

/** One-phrase explanation of a reason, for messages. */
export function describeReason(reason: WeakReason): string {
  switch (reason) {
    case 'empty':
      return 'empty';
    case 'known-default':
      return 'a known template/default value';
    case 'too-short':
      return 'shorter than 16 characters';
    case 'low-entropy':
      return 'low estimated entropy';
  }
}
