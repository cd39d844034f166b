import { rule } from '../../../../src/lint/rules/agent/auth-disabled.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'auth on', file: '.env', text: 'WS_AUTH_ENABLED=true\nAUTH_ENABLED=1\nDISABLE_AUTH=false\n' },
    { name: 'AUTH_DISABLED=false (mem0)', file: '.env', text: 'AUTH_DISABLED=false\n' },
    { name: 'redis with requirepass', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n    command: redis-server --requirepass ${REDIS_PASSWORD}\n    ports:\n      - "6379:6379"\n' },
    { name: 'redis not published', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n' },
    { name: 'nested settings with auth on', file: 'config.yaml', text: 'server:\n  host: 0.0.0.0\n  auth:\n    enabled: true\n' },
    { name: 'flags that do not switch auth off', file: 'compose.yaml', text: 'services:\n  a:\n    image: acme/agent:1\n    command: ["serve", "--host", "0.0.0.0", "--auth-file", "/run/secrets/users"]\n' },
    { name: 'a Qdrant config with an API key', file: 'qdrant/config.yaml', text: 'storage:\n  storage_path: ./storage\nservice:\n  host: 0.0.0.0\n  http_port: 6333\n  api_key: ${QDRANT_API_KEY}\n' },
    { name: 'a Qdrant config bound to loopback', file: 'qdrant/config.yaml', text: 'storage:\n  storage_path: ./storage\nservice:\n  host: 127.0.0.1\n  http_port: 6333\n' },
    { name: 'a vLLM config file with an api-key from the environment', file: 'vllm-config.yaml', text: 'model: meta-llama/Llama-3.1-8B-Instruct\napi-key: ${VLLM_API_KEY}\ngpu-memory-utilization: 0.9\n' },
    { name: 'a LiteLLM config with a master key', file: 'litellm.yaml', text: 'model_list:\n  - model_name: gpt\n    litellm_params:\n      model: openai/gpt-4o\n      api_key: os.environ/OPENAI_API_KEY\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n' },
    { name: 'redis on loopback', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "127.0.0.1:6379:6379"\n' },
  ],
  invalid: [
    { name: 'WS_AUTH_ENABLED=false', file: '.env', text: 'WS_AUTH_ENABLED=false\n', at: ['1:17'] },
    { name: 'WEBUI_AUTH=False in compose', file: 'docker-compose.yml', text: 'services:\n  ui:\n    environment:\n      - WEBUI_AUTH=False\n', at: ['4:20'] },
    { name: 'DISABLE_AUTH=true', file: '.env', text: 'DISABLE_AUTH=true\n', at: [1] },
    { name: 'mongod --noauth', file: 'compose.yaml', text: 'services:\n  mongodb:\n    image: mongo:8\n    command: mongod --noauth\n', at: [4], message: '--noauth' },
    { name: 'elasticsearch xpack off', file: 'compose.yaml', text: 'services:\n  es:\n    image: elasticsearch:8.15.0\n    environment:\n      - xpack.security.enabled=false\n', at: [5] },
    { name: 'published redis without requirepass', file: 'compose.yaml', text: 'services:\n  redis:\n    image: redis:7\n    ports:\n      - "6379:6379"\n', at: [5], message: 'requirepass' },
    { name: 'nested YAML: server.auth.enabled: false', file: 'config.yaml', text: 'server:\n  host: 0.0.0.0\n  auth:\n    enabled: false\n', at: ['4:14'] },
    { name: 'nested TOML and JSON', file: 'agent.toml', text: '[server.authentication]\nenabled = false\n', at: [2] },
    { name: 'nested JSON', file: 'settings.json', text: '{\n  "mcp": {\n    "auth": { "enabled": false }\n  }\n}\n', at: [3] },
    { name: 'Elasticsearch settings, nested', file: 'elasticsearch.yml', text: 'network:\n  host: 0.0.0.0\nxpack:\n  security:\n    enabled: false\n', at: [5] },
    { name: 'Milvus authorizationEnabled: false', file: 'milvus.yaml', text: 'common:\n  security:\n    authorizationEnabled: false\n', at: [3] },
    { name: 'compose command flags: --no-auth, --disable-auth, --anonymous-mode', file: 'compose.yaml', text: 'services:\n  a:\n    image: acme/mcp:1\n    command: ["--no-auth"]\n  b:\n    image: acme/agent:1\n    entrypoint: server --disable-auth --host 0.0.0.0\n  c:\n    image: acme/gw:1\n    command:\n      - sh\n      - -c\n      - "exec gateway --anonymous-mode --port 8080"\n', at: ['4:15', 5 + 2, 13], message: 'turns authentication off' },
    { name: 'Kubernetes container args', file: 'deploy.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mcp\nspec:\n  template:\n    spec:\n      containers:\n        - name: mcp\n          image: acme/mcp:1\n          args: ["--transport", "sse", "--no-auth"]\n', at: [11], message: '--no-auth turns authentication off' },
    { name: 'a Qdrant config without service.api_key, host 0.0.0.0 by default', file: 'qdrant/production.yaml', text: 'log_level: INFO\nstorage:\n  storage_path: ./storage\nservice:\n  http_port: 6333\n  enable_tls: false\n', at: [1], message: 'Qdrant configuration without service.api_key listens on 0.0.0.0' },
    { name: 'a vLLM config file without api-key', file: 'vllm-config.yaml', text: 'model: meta-llama/Llama-3.1-8B-Instruct\nhost: 0.0.0.0\nport: 8000\ngpu-memory-utilization: 0.9\n', at: [1], message: 'vLLM configuration without api-key listens on 0.0.0.0' },
    { name: 'a LiteLLM proxy config without general_settings.master_key', file: 'litellm_config.yaml', text: 'model_list:\n  - model_name: gpt\n    litellm_params:\n      model: openai/gpt-4o\nlitellm_settings:\n  drop_params: true\n', at: [2], message: 'LiteLLM configuration without general_settings.master_key' },
    { name: 'TOML auth_enabled = false', file: 'settings.toml', text: '[server]\nauth_enabled = false\ntls_enabled = true\n', at: ['2:16'] },
  ],
});
