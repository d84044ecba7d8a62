/**
 * The one context every part of a running emulator is handed: what openapi.yaml describes,
 * the store, the generic registry of each resource, the clock and randomness, the options.
 * Built once by emulator.ts; route, middleware and gate modules receive it, so features plug
 * in without reaching into each other or into the file that assembles them.
 */
import type { Express, RequestHandler } from 'express';
import type { ApiDocument, Operation } from './openapi/document.js';
import type { Validators } from './openapi/validators.js';
import type { ResourceRegistry, Runtime } from './machinery/registry.js';
import type { WatchHub } from './machinery/watch.js';
import type { Profile } from './resources/types.js';
import type { Store } from './store/types.js';
import type { EmulatorOptions } from './options.js';

export interface EmulatorContext {
  doc: ApiDocument;
  validators: Validators;
  store: Store;
  hub: WatchHub;
  /** One generic registry per resource, by plural name. */
  registries: Map<string, ResourceRegistry>;
  /** Store, profile, clock and randomness, as the registries see them. */
  runtime: Runtime;
  profile: Profile;
  options: EmulatorOptions;
}

/** Mounts routes outside the resource API (health, discovery, OpenAPI, admin), after it. */
export type RouteModule = (app: Express, ctx: EmulatorContext) => void;

/**
 * Middleware every request passes before the API (request log, auth); none when the feature
 * is off. They run in order as one step of the router.
 */
export type MiddlewareModule = (ctx: EmulatorContext) => RequestHandler | undefined;

/**
 * A step on each API route, run after its body is read and before the operation (fault
 * injection): it knows which operation it guards without matching paths again.
 */
export type GateModule = (ctx: EmulatorContext) => (op: Operation) => RequestHandler;
