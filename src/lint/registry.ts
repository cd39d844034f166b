import { ENGINE_METAS } from './builtin.js';
import type { Rule, RuleMeta } from './types.js';
import { rule as agentAdminApiExposed } from './rules/agent/admin-api-exposed.js';
import { rule as agentAuditLogDisabled } from './rules/agent/audit-log-disabled.js';
import { rule as agentAuthDisabled } from './rules/agent/auth-disabled.js';
import { rule as agentCsrfDisabled } from './rules/agent/csrf-disabled.js';
import { rule as agentDatabaseTlsDisabled } from './rules/agent/database-tls-disabled.js';
import { rule as agentDebugMode } from './rules/agent/debug-mode.js';
import { rule as agentDefaultSecret } from './rules/agent/default-secret.js';
import { rule as agentInsecureCookies } from './rules/agent/insecure-cookies.js';
import { rule as agentLlmKeyInConfig } from './rules/agent/llm-key-in-config.js';
import { rule as agentLlmPlainHttp } from './rules/agent/llm-plain-http.js';
import { rule as agentLongLivedTokens } from './rules/agent/long-lived-tokens.js';
import { rule as agentNoConnectionLimit } from './rules/agent/no-connection-limit.js';
import { rule as agentNoRateLimit } from './rules/agent/no-rate-limit.js';
import { rule as agentPortExposed } from './rules/agent/port-exposed.js';
import { rule as agentProxyBypass } from './rules/agent/proxy-bypass.js';
import { rule as agentSecurityHeadersDisabled } from './rules/agent/security-headers-disabled.js';
import { rule as agentTlsDisabled } from './rules/agent/tls-disabled.js';
import { rule as agentToolExecutionMount } from './rules/agent/tool-execution-mount.js';
import { rule as agentUnboundedRequestSize } from './rules/agent/unbounded-request-size.js';
import { rule as agentVectorStoreExposed } from './rules/agent/vector-store-exposed.js';
import { rule as agentWeakPasswordPolicy } from './rules/agent/weak-password-policy.js';
import { rule as agentWildcardCors } from './rules/agent/wildcard-cors.js';
import { rule as caddyAdminApiExposed } from './rules/caddy/admin-api-exposed.js';
import { rule as caddyNoRateLimit } from './rules/caddy/no-rate-limit.js';
import { rule as caddyPlainHttp } from './rules/caddy/plain-http.js';
import { rule as caddyUnprotectedAgentProxy } from './rules/caddy/unprotected-agent-proxy.js';
import { rule as caddyWildcardCors } from './rules/caddy/wildcard-cors.js';
import { rule as composeAdminPortPublished } from './rules/compose/admin-port-published.js';
import { rule as composeDangerousCapabilities } from './rules/compose/dangerous-capabilities.js';
import { rule as composeDatastoreNetworkNotInternal } from './rules/compose/datastore-network-not-internal.js';
import { rule as composeDatastorePortPublished } from './rules/compose/datastore-port-published.js';
import { rule as composeDevicePassthrough } from './rules/compose/device-passthrough.js';
import { rule as composeDockerSocket } from './rules/compose/docker-socket.js';
import { rule as composeHostNamespaces } from './rules/compose/host-namespaces.js';
import { rule as composeHostNetwork } from './rules/compose/host-network.js';
import { rule as composeLiteralSecretEnv } from './rules/compose/literal-secret-env.js';
import { rule as composeNoHealthcheck } from './rules/compose/no-healthcheck.js';
import { rule as composeNoNewPrivilegesMissing } from './rules/compose/no-new-privileges-missing.js';
import { rule as composeNoResourceLimits } from './rules/compose/no-resource-limits.js';
import { rule as composePortAllInterfaces } from './rules/compose/port-all-interfaces.js';
import { rule as composePrivileged } from './rules/compose/privileged.js';
import { rule as composeRootWithHostMounts } from './rules/compose/root-with-host-mounts.js';
import { rule as composeRedisWithoutPassword } from './rules/compose/redis-without-password.js';
import { rule as composeSecretFileCommitted } from './rules/compose/secret-file-committed.js';
import { rule as composeSecretInlineDefault } from './rules/compose/secret-inline-default.js';
import { rule as composeSensitiveHostMount } from './rules/compose/sensitive-host-mount.js';
import { rule as composeUnconfinedSecurityProfile } from './rules/compose/unconfined-security-profile.js';
import { rule as composeUnpinnedImage } from './rules/compose/unpinned-image.js';
import { rule as composeWritableRootFs } from './rules/compose/writable-root-fs.js';
import { rule as dockerfileAddInsteadOfCopy } from './rules/dockerfile/add-instead-of-copy.js';
import { rule as dockerfileCopyAllWithoutDockerignore } from './rules/dockerfile/copy-all-without-dockerignore.js';
import { rule as dockerfileCurlPipeShell } from './rules/dockerfile/curl-pipe-shell.js';
import { rule as dockerfileNoHealthcheck } from './rules/dockerfile/no-healthcheck.js';
import { rule as dockerfilePasswordInRun } from './rules/dockerfile/password-in-run.js';
import { rule as dockerfilePipeWithoutPipefail } from './rules/dockerfile/pipe-without-pipefail.js';
import { rule as dockerfileRootUser } from './rules/dockerfile/root-user.js';
import { rule as dockerfileSecretFileCopied } from './rules/dockerfile/secret-file-copied.js';
import { rule as dockerfileSecretInEnvArg } from './rules/dockerfile/secret-in-env-arg.js';
import { rule as dockerfileSshExposed } from './rules/dockerfile/ssh-exposed.js';
import { rule as dockerfileSudo } from './rules/dockerfile/sudo.js';
import { rule as dockerfileTlsVerificationDisabled } from './rules/dockerfile/tls-verification-disabled.js';
import { rule as dockerfileUnpinnedBaseImage } from './rules/dockerfile/unpinned-base-image.js';
import { rule as dockerfileUnpinnedCopyFrom } from './rules/dockerfile/unpinned-copy-from.js';
import { rule as dockerfileUnpinnedPackages } from './rules/dockerfile/unpinned-packages.js';
import { rule as dockerfileUnsignedPackages } from './rules/dockerfile/unsigned-packages.js';
import { rule as envCommittedSecrets } from './rules/env/committed-secrets.js';
import { rule as k8sHostAccess } from './rules/k8s/host-access.js';
import { rule as k8sLiteralSecretEnv } from './rules/k8s/literal-secret-env.js';
import { rule as k8sNoResourceLimits } from './rules/k8s/no-resource-limits.js';
import { rule as k8sPrivileged } from './rules/k8s/privileged.js';
import { rule as k8sRunAsRoot } from './rules/k8s/run-as-root.js';
import { rule as k8sUnpinnedImage } from './rules/k8s/unpinned-image.js';
import { rule as k8sWritableRootFs } from './rules/k8s/writable-root-fs.js';
import { rule as traefikExposedByDefault } from './rules/traefik/exposed-by-default.js';
import { rule as traefikInsecureApi } from './rules/traefik/insecure-api.js';
import { rule as traefikTrustedForwardHeaders } from './rules/traefik/trusted-forward-headers.js';
import { rule as traefikUnprotectedAgentRouter } from './rules/traefik/unprotected-agent-router.js';
import { rule as traefikWeakTls } from './rules/traefik/weak-tls.js';
import { rule as nginxAddHeaderRedefinition } from './rules/nginx/add-header-redefinition.js';
import { rule as nginxAliasTraversal } from './rules/nginx/alias-traversal.js';
import { rule as nginxAllowWithoutDeny } from './rules/nginx/allow-without-deny.js';
import { rule as nginxAutoindexOrStatus } from './rules/nginx/autoindex-or-status.js';
import { rule as nginxHostSpoofing } from './rules/nginx/host-spoofing.js';
import { rule as nginxMissingHsts } from './rules/nginx/missing-hsts.js';
import { rule as nginxMissingSecurityHeaders } from './rules/nginx/missing-security-headers.js';
import { rule as nginxNoRateLimit } from './rules/nginx/no-rate-limit.js';
import { rule as nginxServerTokens } from './rules/nginx/server-tokens.js';
import { rule as nginxUnboundedBodyOrTimeouts } from './rules/nginx/unbounded-body-or-timeouts.js';
import { rule as nginxVariableInjection } from './rules/nginx/variable-injection.js';
import { rule as nginxWeakTls } from './rules/nginx/weak-tls.js';
import { rule as nginxWildcardCors } from './rules/nginx/wildcard-cors.js';

/** Every rule, in catalog order (agent, dockerfile, compose, env, nginx, caddy, k8s, traefik). A new rule is one file in rules/<format>/ and one line here. */
export const RULES: readonly Rule[] = [
  agentAdminApiExposed,
  agentAuditLogDisabled,
  agentAuthDisabled,
  agentCsrfDisabled,
  agentDatabaseTlsDisabled,
  agentDebugMode,
  agentDefaultSecret,
  agentInsecureCookies,
  agentLlmKeyInConfig,
  agentLlmPlainHttp,
  agentLongLivedTokens,
  agentNoConnectionLimit,
  agentNoRateLimit,
  agentPortExposed,
  agentProxyBypass,
  agentSecurityHeadersDisabled,
  agentTlsDisabled,
  agentToolExecutionMount,
  agentUnboundedRequestSize,
  agentVectorStoreExposed,
  agentWeakPasswordPolicy,
  agentWildcardCors,
  dockerfileAddInsteadOfCopy,
  dockerfileCopyAllWithoutDockerignore,
  dockerfileCurlPipeShell,
  dockerfileNoHealthcheck,
  dockerfilePasswordInRun,
  dockerfilePipeWithoutPipefail,
  dockerfileRootUser,
  dockerfileSecretFileCopied,
  dockerfileSecretInEnvArg,
  dockerfileSshExposed,
  dockerfileSudo,
  dockerfileTlsVerificationDisabled,
  dockerfileUnpinnedBaseImage,
  dockerfileUnpinnedCopyFrom,
  dockerfileUnpinnedPackages,
  dockerfileUnsignedPackages,
  composeAdminPortPublished,
  composeDangerousCapabilities,
  composeDatastoreNetworkNotInternal,
  composeDatastorePortPublished,
  composeDevicePassthrough,
  composeDockerSocket,
  composeHostNamespaces,
  composeHostNetwork,
  composeLiteralSecretEnv,
  composeNoHealthcheck,
  composeNoNewPrivilegesMissing,
  composeNoResourceLimits,
  composePortAllInterfaces,
  composePrivileged,
  composeRedisWithoutPassword,
  composeRootWithHostMounts,
  composeSecretFileCommitted,
  composeSecretInlineDefault,
  composeSensitiveHostMount,
  composeUnconfinedSecurityProfile,
  composeUnpinnedImage,
  composeWritableRootFs,
  envCommittedSecrets,
  nginxAddHeaderRedefinition,
  nginxAliasTraversal,
  nginxAllowWithoutDeny,
  nginxAutoindexOrStatus,
  nginxHostSpoofing,
  nginxMissingHsts,
  nginxMissingSecurityHeaders,
  nginxNoRateLimit,
  nginxServerTokens,
  nginxUnboundedBodyOrTimeouts,
  nginxVariableInjection,
  nginxWeakTls,
  nginxWildcardCors,
  caddyAdminApiExposed,
  caddyNoRateLimit,
  caddyPlainHttp,
  caddyUnprotectedAgentProxy,
  caddyWildcardCors,
  k8sHostAccess,
  k8sLiteralSecretEnv,
  k8sNoResourceLimits,
  k8sPrivileged,
  k8sRunAsRoot,
  k8sUnpinnedImage,
  k8sWritableRootFs,
  traefikExposedByDefault,
  traefikInsecureApi,
  traefikTrustedForwardHeaders,
  traefikUnprotectedAgentRouter,
  traefikWeakTls,
];

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/** Rules and the engine's own ids (parse errors, unjustified suppressions): everything a finding can be. */
export function allMetas(): readonly RuleMeta[] {
  return [...RULES.map((r) => r.meta), ...ENGINE_METAS];
}

export function metaById(id: string): RuleMeta | undefined {
  return BY_ID.get(id)?.meta ?? ENGINE_METAS.find((m) => m.id === id);
}
