import { z } from 'zod';

const url = z
  .string()
  .max(4096)
  .regex(/^postgres(ql)?:\/\//i, 'expected a postgres:// URL (the SQLite store in the home needs no setting)')
  .refine((u) => !/^postgres(ql)?:\/\/[^/@?#]*:[^/@?#]*@/i.test(u), 'the URL holds a password: give it in PGPASSWORD or a passfile instead (see docs/fleet.md)');

/**
 * `store:` in config.yaml: where the store lives when it is not the SQLite file of the home. A bare URL, or the
 * object form for what a URL cannot say. A password is refused in the URL: config.yaml is not a secret file.
 */
export const storeConfigSchema = z.union([
  url,
  z
    .object({
      url,
      /** Allow a plaintext connection to a server that is neither a Unix socket nor loopback (default false). */
      allowPlaintext: z.boolean().optional(),
    })
    .strict(),
]);

export type StoreConfig = z.infer<typeof storeConfigSchema>;
