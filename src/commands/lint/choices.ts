/**
 * The values of lint's enum options, in a module of their own so that registering `lint` (for help, completions and
 * every other command line) does not load the engine and its rules.
 */
export const OUTPUT_FORMATS = ['table', 'text', 'json', 'sarif', 'junit'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const FAIL_ON = ['critical', 'high', 'medium', 'low'] as const;
/** The same names as PROFILE_NAMES of src/lint/profiles.ts (a test keeps them equal), without loading the registry. */
export const PROFILE_CHOICES = ['default', 'strict'] as const;
/** lint's subcommands, for the "did you mean" of a path that is not there (`lint rule`). */
export const LINT_SUBCOMMANDS = ['rules', 'explain'] as const;
