/** status_object_conformance: every error is a meta/v1 Status whose code is the HTTP status, with a reason. */
import type { Check } from './types.js';

const NAME = 'status_object_conformance';

export const statusObjectConformance: Check = {
  name: NAME,
  description: 'an error that is not a v1 Status with code = HTTP status and a reason',
  source: 'contract',
  check(seen) {
    if (seen.on !== 'response' || seen.exchange.status < 400) return [];
    const status = seen.exchange.status;
    const s = (seen.exchange.body && typeof seen.exchange.body === 'object' ? seen.exchange.body : {}) as Record<string, unknown>;
    const problems: string[] = [];
    if (s.kind !== 'Status' || s.apiVersion !== 'v1') problems.push(`kind ${JSON.stringify(s.kind)} apiVersion ${JSON.stringify(s.apiVersion)}`);
    if (s.status !== 'Failure') problems.push(`status ${JSON.stringify(s.status)}`);
    if (s.code !== status) problems.push(`code ${JSON.stringify(s.code)} for HTTP ${status}`);
    // Only a 500 may lack a reason: k8s.io/apiserver reports a plain Go error as reason Unknown ("").
    if ((typeof s.reason !== 'string' || !s.reason) && status !== 500) problems.push('no reason');
    if (typeof s.message !== 'string') problems.push('no message');
    return problems.length ? [{ check: NAME, message: `error response is not a proper Status: ${problems.join(', ')}` }] : [];
  },
};
