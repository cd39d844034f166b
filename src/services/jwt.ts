/**
 * JWT: signing keys with rotation (jwt/keyring.ts), access and refresh tokens with reuse detection and revocation
 * (jwt/tokens.ts), strict verification against the keyring and the denylist (jwt/check.ts). Operations are functions
 * of explicit dependencies ({@link JwtDeps}); every change appends its audit entry inside the same store
 * transaction. Called by the `jwt` commands and the library's verifyJwt/issueJwt alike; never prints.
 */
import { deriveSubkey } from '../core/crypto/seal.js';
import { AgentsecError, ExitCode } from '../core/errors.js';
import { JWT_KEYS_PURPOSE } from '../core/jwt/key-material.js';
import type { AuditSink } from './audit-sink.js';
import type { JwtDeps } from './jwt/keyring.js';
import type { Runtime } from './runtime.js';

export { checkToken, type CheckOptions } from './jwt/check.js';
export { tokenVerifier, type TokenVerifier } from './jwt/verifier.js';
export { validateIssue, type IssueOptions, type IssueSpec } from './jwt/issue-spec.js';
export { jwks, keygen, keyView, listKeys, retireKey, signer, verifyRing, type ExternalSpec, type JwtDeps, type KeyView } from './jwt/keyring.js';
export { checkIssuerName, defaultIssuerName, externalSecretIssuer, listIssuers, removeIssuer, rollExternalSecret, trustJwks, type IssuerView, type TrustOutcome } from './jwt/external.js';
export { checkTtl, jwtSettings, type JwtSettings } from './jwt/settings.js';
export { issueTokens, revokeTokens, rotateRefresh, type Issued, type RefreshResult } from './jwt/tokens.js';
export type { IssuedTokenRow, JwtKeyRow } from '../store/jwt.js';

export interface JwtService extends JwtDeps {
  /** Forgets the sealing subkey and closes the store. */
  close(): Promise<void>;
}

/** The master key's JWT subkey (to store a key inside another area's transaction); the caller wipes it. */
export async function jwtSealKey(rt: Runtime): Promise<Buffer> {
  const master = await rt.masterKey();
  try {
    return deriveSubkey(master, JWT_KEYS_PURPOSE);
  } finally {
    master.fill(0);
  }
}

/** The sink of a service opened for reading only: it records nothing, so any change through it is refused. */
const readOnly: AuditSink = async (_tx, type) => {
  throw new AgentsecError(`${type}: the JWT store was opened for reading only`, ExitCode.Runtime);
};

/**
 * Opens the store for the JWT operations. `needKey` derives the sealing subkey from the master key (to sign, to store
 * a key, to verify HS256; `'if-hmac'`: only when the keyring holds an HS256 key); `audit` prepares the audit sink
 * before any transaction, which every change needs (reading commands go without it, and start faster). The caller
 * closes it in `finally`.
 */
export async function openJwt(rt: Runtime, opts: { needKey?: boolean | 'if-hmac'; audit?: boolean } = {}): Promise<JwtService> {
  const store = await rt.store();
  let sealKey: Buffer | null = null;
  try {
    const needKey = opts.needKey ?? true;
    // Verifying asymmetric tokens needs only public keys: a passphrase home is not asked for its passphrase then.
    const wanted = needKey === 'if-hmac' ? await store.jwt.hasHmacKey() : needKey;
    if (wanted) {
      const master = await rt.masterKey();
      sealKey = deriveSubkey(master, JWT_KEYS_PURPOSE);
      master.fill(0);
    }
    let audit = readOnly;
    if (opts.audit ?? false) {
      const { auditSink } = await import('./audit.js');
      audit = await auditSink(rt, store);
    }
    const key = sealKey;
    return {
      store,
      audit,
      random: rt.random,
      sealKey,
      close: async () => {
        key?.fill(0);
        await store.close();
      },
    };
  } catch (err) {
    sealKey?.fill(0);
    await store.close();
    throw err;
  }
}
