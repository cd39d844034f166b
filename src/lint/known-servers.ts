import type { Setting } from './setting.js';

/**
 * Agent-side servers whose own config files say whether they authenticate: a vector store (Qdrant), an inference
 * server (vLLM) and an LLM gateway (LiteLLM's proxy). Recognised by the keys only their files carry; for each, the keys that switch
 * authentication on and where it listens when the file does not say (both listen on all interfaces by default).
 */
interface ServerKind {
  readonly what: string;
  /** The file is this server's: one of these keys (or key prefixes, ending in '.') is present. */
  readonly marks: readonly string[];
  /** And, for a generic prefix, one of these too. */
  readonly also?: readonly string[];
  /** Authentication is on when one of these keys has a value. */
  readonly auth: readonly string[];
  /** The bind address key, and the server's default when the key is absent. */
  readonly bind?: { readonly key: string; readonly default: string };
  readonly fix: string;
}

const KINDS: readonly ServerKind[] = [
  { what: 'Qdrant', marks: ['storage.storage_path', 'service.http_port', 'service.grpc_port'], also: ['service.', 'storage.'], auth: ['service.api_key', 'service.read_only_api_key', 'service.jwt_rbac'], bind: { key: 'service.host', default: '0.0.0.0' }, fix: 'service.api_key' },
  // vLLM's `--config` file: its CLI flags as keys; no `api-key` means an open OpenAI-compatible endpoint on all interfaces.
  { what: 'vLLM', marks: ['gpu-memory-utilization', 'tensor-parallel-size', 'served-model-name', 'max-model-len'], also: ['model'], auth: ['api-key'], bind: { key: 'host', default: '0.0.0.0' }, fix: 'api-key' },
  { what: 'LiteLLM', marks: ['model_list.'], also: ['litellm_settings.', 'general_settings.', 'router_settings.'], auth: ['general_settings.master_key'], fix: 'general_settings.master_key' },
];

export interface KnownServer {
  readonly what: string;
  /** Authentication is configured in the file. */
  readonly authenticated: boolean;
  /** Where it listens: the file's bind address, or the server's default. */
  readonly bind: string;
  /** The key that would turn authentication on. */
  readonly fix: string;
}

function has(keys: readonly string[], mark: string): boolean {
  return mark.endsWith('.') ? keys.some((k) => k.startsWith(mark)) : keys.includes(mark);
}

/** Which known server a settings file configures, with its authentication and bind address; undefined for others. */
export function knownServer(settings: readonly Setting[]): KnownServer | undefined {
  const keys = settings.map((s) => s.key.replace(/\.\d+(?=\.|$)/g, '.0').toLowerCase());
  for (const k of KINDS) {
    if (!k.marks.some((m) => has(keys, m)) || (k.also && !k.also.some((m) => has(keys, m)))) continue;
    const value = (key: string): string | undefined => settings.find((s) => s.key.toLowerCase() === key)?.value;
    const authenticated = k.auth.some((a) => {
      const v = value(a) ?? settings.find((s) => s.key.toLowerCase().startsWith(`${a}.`))?.value;
      return v !== undefined && v.trim() !== '' && !/^(?:null|false|none|~)$/i.test(v.trim());
    });
    return { what: k.what, authenticated, bind: (k.bind ? value(k.bind.key) : undefined) ?? k.bind?.default ?? '0.0.0.0', fix: k.fix };
  }
  return undefined;
}
