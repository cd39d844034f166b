/**
 * How endpoints are mounted on the listener. An {@link EndpointFactory} gets the {@link EndpointDeps} every surface
 * shares and, as a second argument it may ignore, what serve itself shares: the decision function in force and the
 * settings. A surface built only on EndpointDeps (`(deps) => Endpoint`) is a factory as it stands.
 */
import type { ServeSettings } from '../core/serve/settings.js';
import type { Decider } from '../services/decide.js';
import type { Endpoint, EndpointDeps } from './endpoint.js';

export interface ServeShared {
  /** The decider in force (a config reload swaps it for one built on the new config). */
  decider(): Decider;
  settings(): ServeSettings;
}

export type EndpointFactory = (deps: EndpointDeps, shared: ServeShared) => Endpoint | Promise<Endpoint>;
