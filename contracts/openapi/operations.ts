/** Matches a request (method and path) to the operation of openapi.yaml that serves it. */
import type { ContractDocument, ContractOperation } from './document.js';

interface Route {
  op: ContractOperation;
  re: RegExp;
}

/** Built once per run from the document's path templates. */
export class OperationMatcher {
  private routes: Route[];
  constructor(doc: ContractDocument) {
    this.routes = doc.operations.map((op) => ({
      op,
      re: new RegExp('^' + op.path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
    }));
  }
  match(method: string, pathname: string): ContractOperation | undefined {
    return this.routes.find((r) => r.op.method === method.toLowerCase() && r.re.test(pathname))?.op;
  }
}
