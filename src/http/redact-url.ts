// Secrets travel in some URLs (a calendar feed's token, a file link's signature); the access log keeps the shape of
// the request and drops the secret, without knowing which feature's route it was.

const REDACTED = '[redacted]';

/** Query parameters whose values are credentials wherever they appear. */
const secretQueryNames = new Set(['sig', 'signature', 'token', 'access_token', 'secret', 'key', 'code', 'password']);

/**
 * A path segment that looks like a random secret: 20 or more URL-safe characters with a digit or a capital among them
 * (so a long lowercase route name stays readable), an extension such as .ics kept.
 */
const secretSegment = /^((?=[^.]*[A-Z0-9])[A-Za-z0-9_-]{20,})(\.[A-Za-z0-9]{1,8})?$/;
/** Ids are not secrets and help when reading the log. */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/calendar/<token>.ics` -> `/calendar/[redacted].ics`; `?exp=1&sig=<hmac>` -> `?exp=1&sig=[redacted]`. */
export function redactSecretsInUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : url.slice(queryAt + 1);
  const safePath = path
    .split('/')
    .map((segment) => {
      const match = secretSegment.exec(segment);
      return match && !uuid.test(match[1]!) ? `${REDACTED}${match[2] ?? ''}` : segment;
    })
    .join('/');
  if (query === undefined) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = decodeSafely(equals === -1 ? pair : pair.slice(0, equals)).toLowerCase();
      return equals !== -1 && secretQueryNames.has(name) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
