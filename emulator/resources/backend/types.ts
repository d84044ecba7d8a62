/**
 * Backend's TypeScript shapes. They mirror components.schemas in openapi.yaml; the test
 * `types.test.ts` checks every property named here against the document.
 */
import type { KubeObject } from '../types.js';

export interface BackendEndpoint {
  fqdn?: string;
  ip?: string;
}

export interface DynamicProxyDnsCacheConfig {
  dnsLookupFamily?: string;
  dnsMinRefreshRate?: string;
  dnsQueryTimeout?: string;
  dnsRefreshRate?: string;
  hostTTL?: string;
  maxHosts?: number;
}

export interface DynamicProxySpec {
  dnsCacheConfig?: DynamicProxyDnsCacheConfig;
}

export interface BackendSpec {
  dynamicProxy?: DynamicProxySpec | null;
  endpoints?: BackendEndpoint[] | null;
  protocol?: string;
}

export interface Condition {
  type: string;
  status: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

export interface BackendStatus {
  conditions?: Condition[];
}

export interface Backend extends KubeObject {
  spec: BackendSpec;
  status: BackendStatus;
}
