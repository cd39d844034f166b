/** The request a decision is about, and the decision: what /auth, the app API and the Node middleware all share. */

/** What the decision reads of a request; no HTTP library's types, so any front end can fill it in. */
export interface DecisionInput {
  /** The client address, canonical (after trusted proxies: see core/net/forwarded.ts). */
  readonly clientIp: string;
  /** The original request's method, any case. */
  readonly method: string;
  /** The original request's path, with its query if any (the query is never looked at, logged or audited). */
  readonly path: string;
  readonly host?: string | undefined;
  readonly proto?: string | undefined;
  /** The `Authorization` header value. */
  readonly authorization?: string | undefined;
  /** The `X-API-Key` header value. */
  readonly apiKey?: string | undefined;
}

export type CredentialKind = 'api-key' | 'jwt' | 'public';

export type Decision =
  | {
      readonly outcome: 'allow';
      readonly status: 200;
      readonly kind: CredentialKind;
      /** The key's name or the token's `sub`; null for a public route reached without a credential. */
      readonly subject: string | null;
      readonly keyId: string | null;
      readonly role: string | null;
      /** What the credential may do (a key's role permissions and scopes, a token's scope claim and role). */
      readonly scopes: readonly string[];
      /** The route rule that matched, as written (undefined when none did). */
      readonly route: string | undefined;
    }
  | { readonly outcome: 'deny'; readonly status: 401; readonly reason: string; readonly wwwAuthenticate: string }
  | { readonly outcome: 'deny'; readonly status: 403; readonly reason: string; readonly keyId?: string | undefined }
  | { readonly outcome: 'limited'; readonly status: 429; readonly reason: string; readonly retryAfterS: number; readonly limit: string }
  | { readonly outcome: 'unavailable'; readonly status: 503; readonly reason: string };

export type DecisionOutcome = Decision['outcome'];
