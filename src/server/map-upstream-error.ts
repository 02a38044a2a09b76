import { HttpError } from './http-error.js'
import type { UpstreamError } from './upstream-error.js'

export type UpstreamOperation = 'create' | 'read' | 'list' | 'remove'

/**
 * Turns a Metorial failure into the answer the browser gets. The app's own problems (a refused
 * key, missing OAuth credentials) are told apart from the user's, and from Metorial being down,
 * so the library retries only what is worth retrying (it retries 429 and 5xx).
 * `clean` removes secrets from Metorial's message before it is passed on.
 */
export function mapUpstreamError(error: UpstreamError, operation: UpstreamOperation, clean: (text: string) => string): HttpError {
  if (error.kind === 'timeout') return new HttpError(504, 'upstream_timeout', 'Metorial did not answer in time. Try again.')
  if (error.kind === 'network') return new HttpError(502, 'upstream_unreachable', 'Metorial could not be reached. Try again.')
  if (error.kind === 'invalid_response') return new HttpError(502, 'upstream_invalid_response', 'Metorial sent an answer the server could not read.')
  const status = error.status ?? 502
  if (error.code === 'missing_oauth_credentials') {
    return new HttpError(
      422,
      'missing_oauth_credentials',
      'This provider has no OAuth credentials configured in Metorial yet: add the OAuth client for it in Metorial (provider deployment settings).',
    )
  }
  if (status === 401 || status === 403) {
    return new HttpError(502, 'upstream_auth', `Metorial refused the server's API key (${status}). Check the secret key the connect handler is configured with.`)
  }
  if (status === 429) {
    return new HttpError(429, 'rate_limited', 'Too many requests to Metorial. Try again shortly.', error.retryAfter ? { 'retry-after': error.retryAfter } : {})
  }
  if (status === 404) {
    return operation === 'create'
      ? new HttpError(400, 'provider_not_found', `Metorial does not know this provider or deployment: ${clean(error.message)}`)
      : new HttpError(404, 'not_found', 'Not found.')
  }
  if (status >= 400 && status < 500 && operation === 'create') {
    return new HttpError(400, error.code ?? 'invalid_request', `Metorial refused the setup session: ${clean(error.message)}`)
  }
  const headers: Record<string, string> = status === 503 && error.retryAfter ? { 'retry-after': error.retryAfter } : {}
  return new HttpError(502, 'upstream_error', `Metorial answered ${status}. Try again.`, headers)
}
