/**
 * What an emulator is made of, handed to each route module (health, discovery, OpenAPI,
 * admin, ...) so that features plug in without reaching into each other.
 */
import type { Express, RequestHandler } from 'express';
import type { ApiDocument } from './openapi/document.js';
import type { Validators } from './openapi/validators.js';
import type { ResourceRegistry, Runtime } from './machinery/registry.js';
import type { WatchHub } from './machinery/watch.js';
import type { Profile } from './resources/types.js';
import type { Store } from './store/index.js';
import type { EmulatorOptions } from './emulator.js';

export interface EmulatorContext {
  doc: ApiDocument;
  validators: Validators;
  store: Store;
  hub: WatchHub;
  /** One generic registry per resource, by plural name. */
  registries: Map<string, ResourceRegistry>;
  runtime: Runtime;
  profile: Profile;
  options: EmulatorOptions;
}

/** Mounts routes on the app (health, discovery, OpenAPI, admin), after the resource API. */
export type RouteModule = (app: Express, ctx: EmulatorContext) => void;

/**
 * Middleware every request passes before the API (request log, auth, fault injection); none
 * when the feature is off. They run in order as one step of the router.
 */
export type MiddlewareModule = (ctx: EmulatorContext) => RequestHandler | undefined;
