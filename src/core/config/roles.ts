import { z } from 'zod';
import { buildRoleTable, MAX_ROLE_ENTRIES } from '../apikeys/roles.js';

/**
 * `roles:` in config.yaml: role name to a list of permissions and included role names. The table is built here
 * too, so a bad name, entry or cycle is refused when the config is loaded (exit 2), naming the role, never at the
 * first verification that meets it.
 */
export const rolesSection = z
  .record(z.string(), z.array(z.string().max(200), { error: 'expected a list of permissions and role names, e.g. [memory:read, viewer]' }).max(MAX_ROLE_ENTRIES))
  .superRefine((defs, ctx) => {
    const r = buildRoleTable(defs);
    if (!r.ok) ctx.addIssue({ code: 'custom', path: [r.role], message: r.message });
  })
  .optional();
