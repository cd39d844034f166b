import type { Command } from 'commander';
import type { App } from '../../cli/command.js';
import { registerDecode } from './decode.js';
import { registerIssue } from './issue.js';
import { registerJwks } from './jwks.js';
import { registerKeygen } from './keygen.js';
import { registerKeys } from './keys.js';
import { registerRefresh } from './refresh.js';
import { registerRevoke } from './revoke.js';
import { registerTrust } from './trust.js';
import { registerVerify } from './verify.js';

/** `agentsec jwt …`: signing keys with rotation, access and refresh tokens, strict verification, JWKS. */
export function registerJwt(program: Command, app: App): void {
  const jwt = program.command('jwt').description('JWT signing keys, access and refresh tokens, strict verification and the JWKS');
  for (const register of [registerKeygen, registerKeys, registerIssue, registerVerify, registerDecode, registerJwks, registerRefresh, registerRevoke, registerTrust]) register(jwt, app);
}
