// The ceiling for the GET benchmark: an Express 5 app tuned as far as it goes, with ONE route
// (the path template the emulator serves one Backend on) answering every request with one fixed
// body (the emulator's body for the same GET, passed in BODY) and the same headers. No query
// parser, no ETag, no X-Powered-By; the headers written in one call; the body a string, which
// Node sends with the headers in one write (measured faster than a Buffer here).
import express from 'express';

const body = process.env.BODY ?? '{}\n';
const route = process.env.ROUTE ?? '/apis/core.apoxy.dev/v1alpha2/backends/:name';
const headers = ['Content-Type', 'application/json', 'Cache-Control', 'no-cache, private', 'Content-Length', String(Buffer.byteLength(body))];
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.set('query parser', false);
app.get(route, (_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
