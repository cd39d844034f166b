import { z } from 'zod';
import { POLICY_LIMITS } from '../passwords/policy.js';

/** `passwords:` in config.yaml: the password policy of `password hash`/`check` and the library (flags beat it). */
export const passwordsSection = z
  .object({
    minLength: z.number().int().min(POLICY_LIMITS.minLength.min).max(POLICY_LIMITS.minLength.max).optional(),
    maxLength: z.number().int().min(POLICY_LIMITS.maxLength.min).max(POLICY_LIMITS.maxLength.max).optional(),
    rejectCommon: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.minLength === undefined || p.maxLength === undefined || p.minLength <= p.maxLength, { message: 'must not be below minLength', path: ['maxLength'] })
  .optional();
