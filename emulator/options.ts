/**
 * What a caller of createEmulator() (a test harness, the CLI) can set. A module of its own so
 * that everything reading the options (the context, route modules, the CLI's flag parsing)
 * depends on this description, not on the file that assembles the emulator. Part of the
 * package's public types: it imports nothing from Express.
 */
import type { FaultConfig, FaultRuleSpec } from './faults/rules.js';
import type { Profile } from './resources/types.js';

/** Header size, slow-client timeouts, concurrent watches (defaults in http/limits.ts). */
export interface HttpLimits {
  /** Request line + headers, bytes. */
  maxHeaderBytes: number;
  /** Time allowed for the request headers to arrive, ms. */
  headersTimeoutMs: number;
  /** Time allowed for the whole request (headers and body) to arrive, ms. */
  requestTimeoutMs: number;
  /** Open watch streams at once. */
  maxWatches: number;
}

/** PEM certificate (chain) and private key. */
export interface TlsPems {
  cert: string;
  key: string;
}

/** `self-signed`: a certificate for localhost, 127.0.0.1 and ::1, made at start-up. */
export type TlsOption = TlsPems | 'self-signed';

export interface EmulatorOptions {
  /** JSON data file; omitted means in memory. */
  dataFile?: string;
  /** `apoxy` (default): behave like the real server. `documented`: the published contract. */
  profile?: Profile;
  /** Manifest files or folders to seed at start-up. */
  seed?: string | string[];
  /** Check every API response against openapi.yaml and throw on a mismatch (tests). */
  validateResponses?: boolean;
  /** Clock and randomness, for reproducible responses. */
  clock?: () => Date;
  random?: () => number;
  uuid?: () => string;
  /** Watch tuning. */
  watchBookmarkIntervalMs?: number;
  watchHistory?: number;
  /** When set, every request except health checks must carry this key (X-Apoxy-API-Key or Bearer). */
  apiKey?: string;
  /**
   * Host names (or addresses) requests may name besides loopback ones and the address listen()
   * binds (`--allowed-hosts`): `myhost.local`, `.example.test` (it and its subdomains), or `'all'`
   * to turn the Host check off. Others get 403 (against DNS rebinding; docs/security.md).
   */
  allowedHosts?: string[] | 'all';
  /**
   * Web origins allowed to use the API from a browser (`--cors-allowed-origins`): kube-apiserver's
   * regular expressions, e.g. `['^http://localhost:5173$']`. Writes from other origins get 403.
   */
  corsAllowedOrigins?: string[];
  /** Header size, slow-client timeouts, concurrent watches (defaults in http/limits.ts). */
  limits?: Partial<HttpLimits>;
  /** Serve HTTPS: a given certificate and key, or `self-signed` (made when listen() starts). */
  tls?: TlsOption;
  /** Freezes the clock at this instant (`--clock fixed:`); move it with `emulator.clock` or `/_emulator/clock`. */
  fixedClock?: Date | string;
  /** Seeds uids, generateName suffixes and fault rules (`--random-seed`), for reproducible responses. */
  randomSeed?: number | string;
  /** Fault rules active from the start (`--faults`). */
  faults?: FaultConfig | FaultRuleSpec[];
  /** Sets a Ready condition this long after each create or spec change (`--simulate-ready`): ms or a Go duration. */
  simulateReady?: number | string;
  /** How many recent requests `/_emulator/requests` keeps (default 1000). */
  requestLogSize?: number;
  /** How much of each request and response body the request log keeps, in bytes (default 16 KiB; 0 keeps none). */
  requestLogBodyBytes?: number;
  /** Serve the dashboard at `/_emulator/ui/` (default true; `--no-ui` turns it off). */
  ui?: boolean;
  /**
   * Hears what is wrong with the data file's objects (a hand edit the API would refuse), after
   * start-up. Default: a line on stderr.
   */
  onWarning?: (message: string) => void;
}

/**
 * What `reset()` (and `POST /_emulator/reset`) may do besides emptying the store, re-seeding the
 * random source and setting a fixed clock back to its start.
 */
export interface ResetOptions {
  /**
   * Start the resourceVersion again from 0 (in memory only). Off by default: a client's watch
   * cache (an informer, a reflector) keeps the last resourceVersion it saw and resumes from it;
   * after a restart that number names a different point of history, so it would miss or repeat
   * events. Turn it on for suites where no watch spans a reset and responses are compared whole
   * (snapshots). Open watches are ended when it restarts.
   */
  restartResourceVersion?: boolean;
}
