import { z } from 'zod';

/** A duration written in config.yaml (`15m`, `24h`); checked here, parsed by the area that uses it. */
export const durationText = z.string().regex(/^(\d+(ms|s|m|h|d|w))+$/, 'expected a duration such as 15m, 24h, 30d');

/**
 * config.yaml in the home. Each area adds its own section when it lands; unknown keys are refused so a typo
 * never silently leaves a default in force.
 */
export const configSchema = z
  .object({})
  .strict();

export type Config = z.infer<typeof configSchema>;
