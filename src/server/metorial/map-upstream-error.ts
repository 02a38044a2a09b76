import { ConnectServerError } from '../http/connect-server-error.js'
import type { UpstreamError } from './upstream-error.js'

export type UpstreamOperation = 'create' | 'read' | 'remove' | 'rename'

/** Metorial's codes for a provider without an OAuth app (newer, then older platform versions). */
const MISSING_CREDENTIALS = new Set(['missing_auth_credentials', 'missing_oauth_credentials'])
const LINKED_ELSEWHERE = 'provider_auth_config_identity_credential_archive_not_allowed'

export interface MappedUpstreamError {
  /** What the browser gets: written for the end user, never naming the vendor or its internals. */
  answer: ConnectServerError
  /** What the developer reads in the log (redacted by the logger, like every line), or null when there is nothing to act on. */
  detail: string | null
  level: 'warn' | 'error'
}

/** Longest `errors[]` text a log line carries: enough to name every wrong field, never a flood. */
const MAX_ERRORS_TEXT = 2000

/** Metorial's message with its `hint` and `errors[]`: what a developer needs to fix a refused call. */
function upstreamText(error: UpstreamError): string {
  let text = error.message
  if (error.hint) text += ` Hint: ${error.hint}`
  if (error.errors && error.errors.length > 0) {
    let errors: string
    try {
      errors = JSON.stringify(error.errors)
    } catch {
      errors = String(error.errors)
    }
    text += ` Errors: ${errors.length > MAX_ERRORS_TEXT ? `${errors.slice(0, MAX_ERRORS_TEXT)}…` : errors}`
  }
  return text
}

/**
 * Turns an upstream failure into the answer the browser gets and the line the developer logs. The
 * app's own problems (a refused key, a provider without OAuth credentials) are told apart from the
 * user's and from the service being down, so the library retries only what is worth retrying
 * (429 and 5xx). The answer never quotes Metorial; the detail does, and a hint or an error may
 * quote the request (a key, a client secret), so it goes to the log only, whose gate redacts it.
 */
export function mapUpstreamError(error: UpstreamError, operation: UpstreamOperation): MappedUpstreamError {
  const upstream = upstreamText(error)
  if (error.kind === 'timeout') {
    return { answer: new ConnectServerError(504, 'upstream_timeout', 'The connection service did not answer in time. Try again.'), detail: upstream, level: 'warn' }
  }
  if (error.kind === 'network') {
    return { answer: new ConnectServerError(502, 'upstream_unreachable', 'The connection service could not be reached. Try again.'), detail: upstream, level: 'warn' }
  }
  if (error.kind === 'invalid_response') {
    return { answer: new ConnectServerError(502, 'upstream_invalid_response', 'The connection service sent an answer that could not be read. Try again later.'), detail: upstream, level: 'error' }
  }
  const status = error.status ?? 502
  if (error.code !== undefined && MISSING_CREDENTIALS.has(error.code)) {
    return {
      answer: new ConnectServerError(422, 'missing_auth_credentials', 'Connecting this account is not set up in this app yet. Please contact the app’s support.'),
      detail: `Metorial has no OAuth credentials for this provider (${error.code}): add an OAuth app for it in the Metorial dashboard, or return its id from providerAuthCredentialsId. Metorial said: ${upstream}`,
      level: 'error',
    }
  }
  if (error.code === LINKED_ELSEWHERE) {
    return {
      answer: new ConnectServerError(409, 'connection_in_use', 'This connection is in use elsewhere in the app and cannot be removed here.'),
      detail: `Metorial refused to archive the auth config because an identity credential links it (${error.code}).`,
      level: 'warn',
    }
  }
  if (status === 401 || status === 403) {
    return {
      answer: new ConnectServerError(502, 'upstream_auth', 'The connection service is not set up correctly. Please contact the app’s support.'),
      detail: `Metorial refused the server's API key (${status}): check the secret key createConnectServer is given. Metorial said: ${upstream}`,
      level: 'error',
    }
  }
  if (status === 429) {
    return {
      answer: new ConnectServerError(429, 'rate_limited', 'Too many requests. Try again shortly.', error.retryAfter ? { 'retry-after': error.retryAfter } : {}),
      detail: upstream,
      level: 'warn',
    }
  }
  if (status === 404) {
    return operation === 'create'
      ? { answer: new ConnectServerError(400, 'provider_not_found', 'This provider is not available.'), detail: `Metorial does not know this provider or deployment: ${upstream}`, level: 'error' }
      : { answer: new ConnectServerError(404, 'not_found', 'Not found.'), detail: null, level: 'warn' }
  }
  if (status >= 400 && status < 500) {
    return {
      answer:
        operation === 'create'
          ? new ConnectServerError(400, 'setup_refused', 'The connection could not be started. Please contact the app’s support if this keeps happening.')
          : new ConnectServerError(502, 'upstream_error', 'The connection service refused the request. Please contact the app’s support if this keeps happening.'),
      detail: `Metorial refused ${operation} (${status}${error.code ? ` ${error.code}` : ''}): ${upstream}`,
      level: 'error',
    }
  }
  const headers: Record<string, string> = status === 503 && error.retryAfter ? { 'retry-after': error.retryAfter } : {}
  return { answer: new ConnectServerError(502, 'upstream_error', 'The connection service failed. Try again.', headers), detail: upstream, level: 'warn' }
}
