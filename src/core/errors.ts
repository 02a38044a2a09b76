/**
 * The one error type of the library, its stable codes, and how anything thrown becomes one.
 *
 * Stable error codes. Switch on `error.code`, never on the message.
 * - `network`: the request did not get an answer (offline, DNS, CORS, connection reset).
 * - `http`: the backend answered with a non-2xx status (`error.status`).
 * - `invalid_response`: the answer was not JSON, missed a field, had an unknown status, or was
 *   `completed` without an auth config id.
 * - `unsafe_url`: the consent URL was not `http:`/`https:` (e.g. `javascript:`), so it was refused.
 * - `popup_blocked`: the browser refused to open the popup.
 * - `timeout`: the flow's `timeout` passed before the session reached a final status.
 * - `aborted`: the caller cancelled (`cancel()`, unmount, an `AbortSignal`).
 * - `session_failed`, `session_expired`, `session_archived`: the session itself ended that way.
 * - `invalid_options`: the library was called with options it cannot use.
 */
export type ConnectErrorCode =
  | 'network'
  | 'http'
  | 'invalid_response'
  | 'unsafe_url'
  | 'popup_blocked'
  | 'timeout'
  | 'aborted'
  | 'session_failed'
  | 'session_expired'
  | 'session_archived'
  | 'invalid_options'

export interface ConnectErrorOptions {
  /** HTTP status, for `http` errors. */
  status?: number
  /** The backend's own error code, when it sent one. */
  backendCode?: string
  /** Milliseconds the backend asked us to wait (`Retry-After`). */
  retryAfterMs?: number
  cause?: unknown
}

export class ConnectError extends Error {
  override readonly name = 'ConnectError'
  readonly code: ConnectErrorCode
  readonly status: number | undefined
  readonly backendCode: string | undefined
  readonly retryAfterMs: number | undefined

  constructor(code: ConnectErrorCode, message: string, options: ConnectErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status
    this.backendCode = options.backendCode
    this.retryAfterMs = options.retryAfterMs
  }

  /** Worth trying again: the network, a 408/425/429 or a 5xx. */
  get transient(): boolean {
    if (this.code === 'network') return true
    if (this.code !== 'http' || this.status === undefined) return false
    return this.status === 408 || this.status === 425 || this.status === 429 || this.status >= 500
  }
}

export function isConnectError(value: unknown): value is ConnectError {
  return value instanceof ConnectError
}

/** A request or a wait stopped by its caller (`cancel()`, unmount, an `AbortSignal`). */
export function abortedError(cause?: unknown): ConnectError {
  return new ConnectError('aborted', 'The request was cancelled.', cause === undefined ? {} : { cause })
}

/** Turns whatever a backend threw into a `ConnectError`. */
export function toConnectError(value: unknown, signal?: AbortSignal): ConnectError {
  if (value instanceof ConnectError) return value
  if (signal?.aborted || (value instanceof Error && value.name === 'AbortError')) {
    return abortedError(value)
  }
  const detail = value instanceof Error ? value.message : String(value)
  return new ConnectError('network', `The backend could not be reached: ${detail}`, { cause: value })
}
