// The ceiling for the benchmark: a minimal Express 5 app answering every GET with one fixed
// JSON body (the body the emulator serves for the same GET, passed in BODY).
import express from 'express';

const body = process.env.BODY ?? '{}\n';
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/{*path}', (_req, res) => {
  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
