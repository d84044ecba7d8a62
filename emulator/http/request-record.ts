/**
 * A request as the request log reports it (`GET /_emulator/requests`, `/_emulator/requests/<id>`):
 * types only, with no import, so that the dashboard's page (dashboard/) reads the same
 * definitions the server writes.
 */

/** A body as the log shows it: UTF-8 text, or base64 when it is not text (protobuf). */
export interface LoggedBody {
  contentType?: string;
  /** The whole body's size in bytes. */
  bytes: number;
  /** Only the first `requestLogBodyBytes` bytes are kept. */
  truncated?: boolean;
  /** The log has kept newer bodies in its place. */
  evicted?: boolean;
  text?: string;
  base64?: string;
}

export interface RequestRecord {
  /** Rises by one per request, across clears: `after=<id>` reads only what came since. */
  id: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  durationMs: number;
  /** When the request arrived, by the emulator's clock. */
  time: string;
  /** Ids of the fault rules that fired on it. */
  faults?: string[];
  userAgent?: string;
  /** With `bodies=true`, or from `GET /_emulator/requests/<id>`: the first `requestLogBodyBytes` bytes. */
  requestBody?: LoggedBody;
  responseBody?: LoggedBody;
}
