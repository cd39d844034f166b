import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySecretName, isSecretEntry, looksLikeSettingValue } from '../../../src/core/secrets/secret-name.js';

/**
 * Names as they appear in the `.env` files of the agent servers our users run (LLM gateways, RAG stacks, MCP
 * gateways, workflow tools), each with a value of the kind found there. `true` = a secret `secret status` judges.
 */
const ENTRIES: ReadonlyArray<readonly [string, string, boolean]> = [
  // secrets
  ['JWT_SECRET', 'my-random-string-for-seeding', true],
  ['SESSION_SECRET', '', true],
  ['WS_AUTH_TOKEN', 'abc', true],
  ['TCP_AUTH_TOKEN', 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA', true],
  ['OAUTH_CLIENT_SECRET', 'your_github_client_secret', true],
  ['MEM0_API_KEY', '', true],
  ['ANTHROPIC_API_KEY', 'sk-ant-xxxx', true],
  ['AZURE_OPENAI_KEY', '', true],
  ['OPEN_AI_KEY', 'sk-example', true],
  ['TTS_ELEVEN_LABS_KEY', '', true],
  ['AGENT_SERPER_DEV_KEY', '', true],
  ['AZURE_BLOB_STORAGE_ACCOUNT_KEY', '<your-account-key>', true],
  ['RAGFLOW_CRYPTO_KEY', 'ragflow-crypto-key', true],
  ['N8N_ENCRYPTION_KEY', 'changeme', true],
  ['WEBUI_SECRET_KEY', 't0p-s3cr3t', true],
  ['SECRET_KEY', 'eee', true],
  ['SIG_KEY', 'passphrase', true],
  ['SIG_SALT', 'salt', true],
  ['JWT_PRIVATE_KEY_B64', 'your_base64_encoded_private_key_here', true],
  ['DATABASE_SSL_KEY_BASE64', 'LS0tLS1CRUdJTi', true],
  ['FLOWISE_SECRETKEY_OVERWRITE', 'myencryptionkey', true],
  ['FLOWISE_EE_LICENSE_KEY', '', true],
  ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', true],
  ['AWS_SESSION_TOKEN', '', true],
  ['SECRETKEY_AWS_ACCESS_KEY', '<your-access-key>', true],
  ['DB_POSTGRESDB_PASSWORD', 'postgres', true],
  ['MYSQL_ROOT_PASSWORD', 'infini_rag_flow', true],
  ['REDIS_PWD', 'redis', true],
  ['REDIS_PASSWORD', '12345678', true],
  ['SMTP_PASSWORD', 'smtp_password', true],
  ['ZILLIZ_API_TOKEN', 'api-token-here', true],
  ['HUGGING_FACE_HUB_TOKEN', 'hf_xxx', true],
  ['NEXTAUTH_SECRET', 'mysecret', true],
  ['GATEWAY_OAUTH_JWT_TOKEN', '', true],
  ['TOKEN_HASH_SECRET', '', true],
  ['REDIS_AUTH', 'infini_rag_flow', true],
  ['jwtSecret', 'dev', true],
  ['session_secret', 'dev', true],
  ['API_KEY_1', 'Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA', true],
  ['API_KEYS', 'key-one,key-two', true],
  // a secret name's number or boolean is still a (very weak) secret
  ['DB_PASSWORD', '12345678', true],
  ['AUTH_TOKEN', 'true', true],
  // settings of secret-related features
  ['PASSWORD_MIN_LENGTH', '12', false],
  ['PASSWORD_HASH_ALGORITHM', 'argon2id', false],
  ['PASSWORD_SALT_HASH_ROUNDS', '10', false],
  ['PASSWORD_RESET_TOKEN_EXPIRY_IN_MINS', '15', false],
  ['PASSWORDMINCHAR', '8', false],
  ['PASSWORDMAXCHAR', '250', false],
  ['PASSWORDLOWERCASE', '1', false],
  ['PASSWORDUPPERCASE', '1', false],
  ['PASSWORDNUMERIC', '1', false],
  ['PASSWORDSYMBOL', '1', false],
  ['PASSWORDREQUIREMENTS', '4', false],
  ['DISABLE_PASSWORD_LOGIN', 'false', false],
  ['OAUTH_ENABLED', 'true', false],
  ['WS_AUTH_ENABLED', 'true', false],
  ['AUTH_DISABLED', 'false', false],
  ['WEBUI_AUTH', 'False', false],
  ['CORS_ALLOW_CREDENTIALS', 'false', false],
  ['ALLOW_UNAUTHORIZED_CERTS', 'false', false],
  ['DATABASE_REJECT_UNAUTHORIZED', 'true', false],
  ['EXPIRE_AUTH_TOKENS_ON_RESTART', 'true', false],
  ['OAUTH2_SECURITY_CHECK', 'true', false],
  ['JWT_ALGORITHM', 'HS256', false],
  ['JWT_TOKEN_EXPIRY_IN_MINUTES', '360', false],
  ['JWT_REFRESH_TOKEN_EXPIRY_IN_MINUTES', '43200', false],
  ['ACCESS_TOKEN_LIFETIME', '86400', false],
  ['REFRESH_TOKEN_LIFETIME', '2592000', false],
  ['INVITE_TOKEN_EXPIRY_IN_HOURS', '24', false],
  ['SESSION_TIMEOUT_HOURS', '24', false],
  ['JWT_SECRET_TTL', '15m', false],
  ['CUSTOM_MCP_AUTHORIZE_TIMEOUT_MS', '15000', false],
  ['KOBOLD_CPP_MAX_TOKENS', '2048', false],
  ['OLLAMA_MODEL_TOKEN_LIMIT', '4096', false],
  ['AWS_BEDROCK_LLM_MODEL_TOKEN_LIMIT', '128000', false],
  ['OAUTH2_ALLOWED_TOKEN_DOMAINS', '', false],
  ['SECRETKEY_STORAGE_TYPE', 'local', false],
  ['SECRETKEY_PATH', '/your_secret_path/.flowise', false],
  ['SECRETKEY_AWS_REGION', 'us-west-2', false],
  ['SECRETKEY_AWS_NAME', 'FlowiseEncryptionKey', false],
  ['SECRETKEY_AWS_AUTH_PREFIX', 'Flowise', false],
  ['OPENLLM_AUTH_TYPE', 'bearer', false],
  ['LANGFUSE_OCI_AUTH_TYPE', 'api_key', false],
  // names, ids, paths, URLs and public keys
  ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE', false],
  ['OAUTH_CLIENT_ID', 'Iv1.8a61f9b3a7aba766', false],
  ['SSL_KEY_PATH', '/etc/ssl/private/agent.key', false],
  ['HTTPS_KEY_PATH', './certs/key.pem', false],
  ['LIBRECHAT_TEMP_CREDENTIALS_PATH', '/tmp/creds', false],
  ['GOOGLE_CLOUD_STORAGE_CREDENTIAL', '/run/secrets/gcs.json', false],
  ['REDIS_TLS_KEY', '/certs/redis.key', false],
  ['REDIS_CERT', '/certs/redis.crt', false],
  ['NEXTAUTH_URL', 'https://agent.example.com', false],
  ['TEST_OAUTH_CALLBACK_URL', 'https://auth.example.com/success', false],
  ['POSTHOG_PUBLIC_API_KEY', 'phc_abc', false],
  ['LANGFUSE_INIT_PROJECT_PUBLIC_KEY', 'pk-lf-1234', false],
  ['NEXT_PUBLIC_POSTHOG_KEY', 'phc_abc', false],
  ['STRIPE_PUBLISHABLE_KEY', 'pk_live_abc', false],
  ['CACHE_KEY', 'agent:cache', false],
  ['ADMIN_PASSWORD_HASH', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', false],
  ['API_KEY_HEADER', 'X-API-Key', false],
  ['PORT', '3000', false],
  ['NODE_ENV', 'production', false],
  ['JWT_SECRET_PREVIOUS', 'old', false],
  ['GENERIC_OPEN_AI_EMBEDDING_PASSAGE_PREFIX', 'passage: ', false],
  ['BYPASS_CACHE', 'true', false],
];

describe('which .env entries hold a secret', () => {
  for (const [name, value, secret] of ENTRIES) {
    it(`${name}=${value.length > 24 ? `${value.slice(0, 24)}…` : value} ${secret ? 'is' : 'is not'} a secret`, () => {
      assert.equal(isSecretEntry(name, value), secret, `class ${classifySecretName(name)}`);
    });
  }

  it('lets the value decide only where the name does: a weak password stays weak whatever it looks like', () => {
    for (const v of ['true', '12345678', '30d', 'HS256']) assert.equal(isSecretEntry('DB_PASSWORD', v), true, v);
    for (const v of ['true', '1', '30d']) assert.equal(isSecretEntry('REDIS_AUTH', v), false, v);
    assert.equal(isSecretEntry('REDIS_AUTH', 'hunter2'), true);
  });

  it('tells a URL with credentials from one without', () => {
    assert.equal(isSecretEntry('AUTH_TOKEN', 'https://vault.internal/v1/token'), false, 'where the token lives');
    assert.equal(isSecretEntry('REDIS_AUTH', 'redis://:s3cret@redis:6379'), true);
    assert.equal(isSecretEntry('REDIS_AUTH', 'https://auth.internal/?token=abc'), true);
    assert.equal(looksLikeSettingValue('https://auth.internal/?sslmode=require'), true);
  });

  it('knows booleans, numbers, durations, algorithms, URLs and paths as setting values, and nothing random', () => {
    for (const v of ['true', 'False', 'off', '0', '4096', '1.5', '15m', '1h30m', '30d', 'HS256', 'EdDSA', 'argon2id', 'bcrypt', 'aes-256-gcm', 'https://example.com/x', '/etc/x', './x', '~/x']) {
      assert.equal(looksLikeSettingValue(v), true, v);
    }
    for (const v of ['Kp3xR9vT2mQ7wZ4nB8yL1cF6hJ0sD5gA', 'changeme', 'hunter2', 'sk-ant-abc', 'redis://:pw@h', 'q+/Aw9ZzUk1mX0L=']) assert.equal(looksLikeSettingValue(v), false, v);
  });
});
