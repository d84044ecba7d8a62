/** The package's programmatic entry: `import { createEmulator } from 'apoxy-emulator'`. */
export { createEmulator, type Emulator } from './emulator.js';
export type { EmulatorOptions } from './options.js';
export { EmulatorOptionsError } from './check-options.js';
export type { Profile, KubeObject, ResourceDefinition } from './resources/types.js';
export type { StatusBody } from './machinery/status.js';
export type { SeedResult } from './seed.js';
export { kubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export type { TlsOption, TlsPems, HttpLimits } from './options.js';
