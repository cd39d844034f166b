export { cli, initHome } from '../keys/helpers.js';
import { cli } from '../keys/helpers.js';

export async function json<T = Record<string, unknown>>(home: string, args: string[], now?: Date): Promise<{ code: number; doc: T; stderr: string }> {
  const r = await cli(home, ['--json', ...args], now ? { now } : {});
  let doc = {} as T;
  try {
    doc = JSON.parse(r.stdout) as T;
  } catch {
    /* left empty: the caller asserts on code and stderr */
  }
  return { code: r.code, doc, stderr: r.stderr };
}

export const T0 = new Date('2026-11-22T03:00:00Z');
export const at = (ms: number) => new Date(T0.getTime() + ms);
