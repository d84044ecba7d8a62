/**
 * Backend's own validate(), as the real server's api/core/v1alpha2/backend_validate.go.
 * Errors accumulate; field paths keep the real server's quirk `spec.endpoints.[0].ip`
 * (it builds the index as a named child, so a dot precedes the bracket).
 */
import { fieldError, type FieldError } from '../../machinery/field-errors.js';
import { isFullyQualifiedDomainName } from '../../machinery/dns.js';
import { parseGoIP } from '../../machinery/go-ip.js';
import type { KubeObject } from '../types.js';
import type { BackendSpec } from './types.js';

export function validateBackend(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as BackendSpec;
  const endpoints = spec.endpoints ?? [];
  const errs: FieldError[] = [];
  if (spec.dynamicProxy != null && endpoints.length === 0) {
    errs.push(fieldError.required('spec.endpoints', 'endpoints cannot be empty'));
  }
  if (spec.dynamicProxy != null && endpoints.length > 1) {
    errs.push(fieldError.forbidden('spec.endpoints', 'only one endpoint can be specified'));
  }
  endpoints.forEach((ep, i) => {
    const ip = ep?.ip ?? '';
    const fqdn = ep?.fqdn ?? '';
    const base = `spec.endpoints.[${i}]`;
    if (ip && fqdn) errs.push(fieldError.forbidden(`${base}.ip`, 'ip and fqdn cannot be specified together'));
    if (ip && !parseGoIP(ip)) errs.push(fieldError.invalid(`${base}.ip`, ip, 'invalid ip address'));
    else if (fqdn) errs.push(...isFullyQualifiedDomainName(`${base}.fqdn`, fqdn));
  });
  return errs;
}
