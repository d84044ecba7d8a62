/** Health endpoints, as kube-apiserver serves them (plain `ok`). */
import type { Express, Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';

export function systemRoutes(app: Express, _ctx: EmulatorContext): void {
  for (const path of ['/healthz', '/livez', '/readyz']) {
    app.get(path, (_req: Request, res: Response) => {
      res.type('text/plain; charset=utf-8').setHeader('X-Content-Type-Options', 'nosniff');
      res.end('ok');
    });
  }
}
