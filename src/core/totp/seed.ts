import { SEED_BYTES, type TotpAlgorithm } from './params.js';

/** A fresh random seed as long as the algorithm's HMAC output (20/32/64 bytes). */
export function generateSeed(algorithm: TotpAlgorithm, random: (bytes: number) => Buffer): Buffer {
  return random(SEED_BYTES[algorithm]);
}
