/**
 * The middleware that records every request in the RequestLog (request-log.ts) once its
 * response is over, watches included, with the start of its bodies (body-capture.ts). Mounted
 * first.
 */
import type { NextFunction, Request, Response } from 'express';
import type { MiddlewareModule } from '../context.js';
import { FIRED_FAULTS } from '../shared-names.js';
import { keepBodies, tapResponse } from './body-capture.js';
import type { LoggedRequest, RequestLog } from './request-log.js';

export function requestLogging(log: RequestLog, clockMs: () => number): MiddlewareModule {
  return () =>
    (req: Request, res: Response, next: NextFunction) => {
      const started = performance.now();
      const at = clockMs();
      // Read now: routers rewrite req.url while they handle the request.
      const url = req.url;
      const limit = log.bodyBytes;
      if (limit > 0) tapResponse(res, limit);
      // `on`, not `once`: a response closes once, and once() costs a bound wrapper per request.
      res.on('close', () => {
        const q = url.indexOf('?');
        const [requestBody, responseBody] = limit > 0 ? keepBodies(req, res, log.bodies, limit, log.contentTypes) : [undefined, undefined];
        const rec: LoggedRequest = {
          id: 0, // set by the log
          method: req.method,
          path: q === -1 ? url : url.slice(0, q),
          rawQuery: q === -1 ? '' : url.slice(q + 1),
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          at,
          userAgent: log.userAgents.get(req.get('user-agent')),
          requestBody,
          responseBody,
        };
        const fired = res.locals[FIRED_FAULTS] as string[] | undefined;
        if (fired?.length) rec.faults = fired;
        log.add(rec);
      });
      next();
    };
}
