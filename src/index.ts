/**
 * The library API for Node apps. (Other areas add their exports here when they merge.)
 */
export { verifyApiKey, type VerifyApiKeyOptions } from './lib/verify-api-key.js';
export type { VerifyCode, VerifyResult, VerifiedKeyInfo } from './core/apikeys/verify.js';
