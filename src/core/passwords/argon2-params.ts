/** argon2id cost presets. Memory in KiB, as argon2 and the PHC string count it. */
export interface Argon2Params {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const PRESETS = {
  // OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB, 2 iterations, 1 lane.
  owasp: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  // RFC 9106 §4, second recommended option (memory-constrained): 64 MiB, 3 passes, 4 lanes.
  'rfc9106-low-memory': { memoryCost: 65536, timeCost: 3, parallelism: 4 },
  // RFC 9106 §4, first recommended option: 2 GiB, 1 pass, 4 lanes.
  rfc9106: { memoryCost: 2097152, timeCost: 1, parallelism: 4 },
} as const satisfies Record<string, Argon2Params>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
export const DEFAULT_PRESET: PresetName = 'owasp';

export function isPresetName(text: string): text is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, text);
}

export interface PhcInfo extends Argon2Params {
  readonly variant: 'argon2id' | 'argon2i' | 'argon2d';
  readonly version: number;
}

const PHC_RE = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Parses an argon2 PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`); undefined when it is not one. */
export function parsePhc(text: string): PhcInfo | undefined {
  const m = PHC_RE.exec(text.trim());
  if (!m) return undefined;
  const salt = Buffer.from(m[6] as string, 'base64');
  const hash = Buffer.from(m[7] as string, 'base64');
  if (salt.length < 8 || hash.length < 4) return undefined;
  return {
    variant: m[1] as PhcInfo['variant'],
    version: Number(m[2]),
    memoryCost: Number(m[3]),
    timeCost: Number(m[4]),
    parallelism: Number(m[5]),
  };
}

/**
 * Why a hash should be recomputed at the next successful login: a variant other than argon2id, an old version,
 * memory below the preset (memory is what resists GPUs), or less total work (memory × passes) than the preset.
 * A lower pass count made up by more memory (RFC 9106's 2 GiB, t=1) is not a reason; nor is parallelism.
 */
export function rehashReasons(info: PhcInfo, preset: Argon2Params): string[] {
  const reasons: string[] = [];
  if (info.variant !== 'argon2id') reasons.push(`variant ${info.variant} (want argon2id)`);
  if (info.version < 19) reasons.push(`version ${info.version} (want 19)`);
  if (info.memoryCost < preset.memoryCost) reasons.push(`memory ${info.memoryCost} KiB < ${preset.memoryCost} KiB`);
  if (info.memoryCost * info.timeCost < preset.memoryCost * preset.timeCost) {
    reasons.push(`work m×t ${info.memoryCost * info.timeCost} < ${preset.memoryCost * preset.timeCost}`);
  }
  return reasons;
}
