/**
 * A rejected request as the server answered it: the Status message, code and reason, and each
 * cause with its field, so that a person can fix the input field by field.
 */
import { ApiError } from '../api.js';
import { TableHead } from './TableHead.js';

export function ErrorDetails({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  const causes = api?.status?.details?.causes ?? [];
  return (
    <div class="error" role="alert">
      <p class="error-title">
        {title ?? 'Rejected'}
        {api ? `: ${api.code}${api.status?.reason ? ` ${api.status.reason}` : ''}` : ''}
      </p>
      <p class="error-message">{api ? api.message : (error as Error)?.message ?? String(error)}</p>
      {causes.length > 0 && (
        <table class="causes">
          <caption>Causes</caption>
          <TableHead columns={['Field', 'Reason', 'Message']} />
          <tbody>
            {causes.map((c, i) => (
              <tr key={i}>
                <td>
                  <code>{c.field || '(object)'}</code>
                </td>
                <td>{c.reason ?? ''}</td>
                <td>{c.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
