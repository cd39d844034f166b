/**
 * Recognising secrets by name and by shape. Pure: shared by `agentsec lint` and the secrets area.
 */

function normalise(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Names that end like a secret but hold something public or harmless (a path, an id, a lifetime, a count). */
const NOT_SECRET = /^(?:DISABLE|ENABLE|ALLOW|REQUIRE|USE|SKIP|FORCE|SHOW|HIDE|IS|HAS)_|^(?:NEXT_PUBLIC|NUXT_PUBLIC|VITE_PUBLIC|EXPO_PUBLIC|REACT_APP_PUBLIC|PUBLIC|GATSBY_PUBLIC)_|(?:_(?:PATH|FILE|DIR|URL|URI|HOST|PORT|ID|NAME|TYPE|ALGORITHM|ALG|LENGTH|LEN|SIZE|TTL|EXPIRY|EXPIRES|EXPIRES_IN|EXPIRATION|LIFETIME|TIMEOUT|HEADER|PREFIX|FIELD|VERSION|ENABLED|DISABLED|REQUIRED|ROTATION|MIN_LENGTH|LIMIT|COUNT|MAX|MIN|HOURS|DAYS|MINUTES|SECONDS|MODE|PROVIDER|REGION|ENDPOINT|BUCKET|USER|USERNAME|EMAIL)$)|(?:^|_)(?:PUBLIC|PUBLISHABLE)_KEY$|(?:^|_)PUBLIC_KEY|(?:^|_)(?:MAX|NUM|TOTAL)_TOKENS?$|_TOKENS$|^(?:PRIMARY|FOREIGN|SORT|PARTITION|CACHE|IDEMPOTENCY|ROUTING|S3|OBJECT)_KEY$|(?:^|_)KEY_ID$|(?:^|_)ACCESS_KEY_ID$/;

const SECRET_NAME = /(?:^|_)(?:SECRET|SECRETS|TOKEN|KEY|PASSWORD|PASSWD|PASS|PWD|SALT|PASSPHRASE|CREDENTIALS?|PRIVATE_KEY|API_KEY|APIKEY)$|PASSWORD|SECRET|^(?:SALT|MASTER_KEY)$|^(?:REDIS|MEMCACHED|RABBITMQ)_AUTH$/;

/**
 * True for a key that conventionally holds a secret: `*_SECRET`, `*_TOKEN`, `*_KEY`, `*PASSWORD*`, `SALT`,
 * `MASTER_KEY` …, but not `*_KEY_PATH`, `*_PUBLIC_KEY`, `*_TOKEN_TTL`, `MAX_TOKENS` and the like.
 */
export function isSecretKeyName(name: string): boolean {
  const n = normalise(name);
  if (n === '') return false;
  if (NOT_SECRET.test(n)) return false;
  return SECRET_NAME.test(n);
}

/** LLM providers whose keys must never be written as literals in a deployment config. */
const LLM_PROVIDERS = [
  'OPENAI', 'ANTHROPIC', 'CLAUDE', 'GEMINI', 'GOOGLE', 'GOOGLE_GEMINI', 'GOOGLE_AI', 'VERTEX', 'GROQ', 'AZURE', 'AZURE_OPENAI',
  'OPENROUTER', 'MISTRAL', 'COHERE', 'CO', 'TOGETHER', 'TOGETHERAI', 'DEEPSEEK', 'PERPLEXITY', 'PPLX', 'XAI', 'GROK', 'FIREWORKS',
  'REPLICATE', 'HUGGINGFACE', 'HUGGING_FACE', 'HUGGINGFACEHUB', 'HF', 'VOYAGE', 'ANYSCALE', 'DEEPINFRA', 'CEREBRAS', 'NVIDIA', 'NVIDIA_NIM',
  'AI21', 'JINA', 'MOONSHOT', 'ZHIPU', 'QWEN', 'DASHSCOPE', 'BEDROCK', 'LITELLM', 'OPENLLM', 'ZAI', 'Z_AI', 'LMSTUDIO', 'NOVITA',
];
const LLM_KEY_NAME = new RegExp(`^(?:[A-Z0-9]+_)?(?:${LLM_PROVIDERS.join('|')})_(?:API_)?(?:KEY|TOKEN|SECRET|API_TOKEN|HUB_TOKEN|ACCESS_TOKEN)$|^HF_TOKEN$|^HUGGING_FACE_HUB_TOKEN$`);

/** True for a key naming an LLM provider credential: OPENAI_API_KEY, ANTHROPIC_API_KEY, HF_TOKEN, AZURE_OPENAI_API_KEY … */
export function isLlmKeyName(name: string): boolean {
  return LLM_KEY_NAME.test(normalise(name));
}

const SECRET_SHAPES: ReadonlyArray<{ readonly re: RegExp; readonly what: string; readonly llm: boolean }> = [
  { re: /^sk-ant-[A-Za-z0-9_-]{20,}$/, what: 'an Anthropic API key', llm: true },
  { re: /^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$/, what: 'an OpenAI-style API key', llm: true },
  { re: /^AIza[0-9A-Za-z_-]{35}$/, what: 'a Google API key', llm: true },
  { re: /^gsk_[A-Za-z0-9]{20,}$/, what: 'a Groq API key', llm: true },
  { re: /^hf_[A-Za-z0-9]{20,}$/, what: 'a Hugging Face token', llm: true },
  { re: /^xai-[A-Za-z0-9]{20,}$/, what: 'an xAI API key', llm: true },
  { re: /^r8_[A-Za-z0-9]{20,}$/, what: 'a Replicate token', llm: true },
  { re: /^pplx-[A-Za-z0-9]{20,}$/, what: 'a Perplexity API key', llm: true },
  { re: /^(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}$|^github_pat_[A-Za-z0-9_]{40,}$/, what: 'a GitHub token', llm: false },
  { re: /^xox[abposr]-[A-Za-z0-9-]{10,}$/, what: 'a Slack token', llm: false },
  { re: /^(?:AKIA|ASIA)[0-9A-Z]{16}$/, what: 'an AWS access key id', llm: false },
  { re: /^-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key', llm: false },
  { re: /^(?:sk|rk)_live_[A-Za-z0-9]{20,}$/, what: 'a Stripe secret key', llm: false },
];

/** What kind of credential the value's shape reveals (`an OpenAI-style API key`), or undefined. */
export function secretValueKind(value: string): { readonly what: string; readonly llm: boolean } | undefined {
  const v = value.trim();
  if (v.length < 16) return undefined;
  for (const s of SECRET_SHAPES) if (s.re.test(v)) return { what: s.what, llm: s.llm };
  return undefined;
}
