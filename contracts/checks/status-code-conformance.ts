/** status_code_conformance: a status code openapi.yaml does not declare for the operation. */
import type { Check } from './types.js';

const NAME = 'status_code_conformance';

export const statusCodeConformance: Check = {
  name: NAME,
  description: 'a status code openapi.yaml does not declare for the operation',
  source: 'contract',
  check(seen) {
    if (seen.on !== 'response' || !seen.operation) return [];
    const op = seen.operation;
    if (op.responses.has(seen.exchange.status)) return [];
    return [{ check: NAME, message: `${seen.exchange.status} is not a status code openapi.yaml declares for ${op.operationId} (declared: ${[...op.responses.keys()].join(', ')})` }];
  },
};
