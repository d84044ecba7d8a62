/** Every resource the emulator serves. A new resource is one more definition here. */
import { backend } from './backend/index.js';
import type { ResourceDefinition } from './types.js';

export const resources: ResourceDefinition[] = [backend];
