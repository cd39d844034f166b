/** The decision's types live in core (pure data), so the library's public declarations reach no service. */
export type { DecisionInput, CredentialKind, Decision, DecisionOutcome } from '../../core/serve/decision.js';
