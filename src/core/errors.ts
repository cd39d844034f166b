/**
 * Exit codes, one enum for the whole tool (DESIGN §3). Documented by `agentsec help exit-codes` and the man page.
 */
export const ExitCode = {
  Ok: 0,
  /** A negative verdict: findings, an invalid key/token/code, a tampered chain, a blocked IP. */
  Negative: 1,
  /** Usage or configuration error. */
  Usage: 2,
  /** Runtime failure: unreadable input, locked or corrupt store. */
  Runtime: 3,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_DOCS: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: 0, meaning: 'success; also audit verify of a chain whose newest entries are not sealed yet ("incomplete", with a warning)' },
  { code: 1, meaning: 'negative verdict: lint findings at or above --fail-on, invalid key/token/code, tampered audit chain, incomplete chain under audit verify --strict, IP blocked (blocks check), failed doctor check, a confirmation answered no' },
  { code: 2, meaning: 'usage or configuration error: unknown command or flag, bad value, unsafe permissions, missing setup, an input path that does not exist (or is a directory), an --output/--state file whose directory does not exist, a confirmation needed without a terminal (pass --yes)' },
  { code: 3, meaning: 'runtime failure: an input that exists but cannot be read, locked or corrupt store, I/O error' },
  { code: 130, meaning: 'interrupted (SIGINT)' },
];

/**
 * An error meant for the user: one lowercase line naming the flag or file and the fix.
 * Its message must never contain a secret value.
 */
export class AgentsecError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.Runtime, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentsecError';
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): AgentsecError {
  return new AgentsecError(message, ExitCode.Usage);
}

export function runtimeError(message: string, cause?: unknown): AgentsecError {
  return new AgentsecError(message, ExitCode.Runtime, cause === undefined ? undefined : { cause });
}
