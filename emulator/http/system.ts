/** Health endpoints, as kube-apiserver serves them (plain `ok`). */
import type { Express, Request, Response } from 'express';

export function systemRoutes(app: Express): void {
  for (const path of ['/healthz', '/livez', '/readyz']) {
    app.get(path, (_req: Request, res: Response) => {
      res.type('text/plain; charset=utf-8').setHeader('X-Content-Type-Options', 'nosniff');
      res.end('ok');
    });
  }
}
