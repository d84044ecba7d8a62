/**
 * The checks every response goes through (registry.ts lists them, one file each), and the
 * response schemas they compile from openapi.yaml (response-schema.ts).
 */
export { CHECK_REGISTRY, RUN_ERRORS, checkList, checkNamed, selectChecks } from './registry.js';
export { ResponseSchemas, RELAXED_UNDER_APOXY } from './response-schema.js';
export type { Check, CheckEnv, CheckFailure, Seen } from './types.js';
