/** What went wrong talking to Metorial, before it is mapped to the contract's error shape. */
export type UpstreamFailure = 'http' | 'timeout' | 'network' | 'invalid_response'

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError'
  readonly kind: UpstreamFailure
  /** Metorial's HTTP status, for `http`. */
  readonly status: number | undefined
  /** Metorial's error code (`missing_oauth_credentials`, …), when it sent one. */
  readonly code: string | undefined
  /** Metorial's `Retry-After` as whole seconds (at most a day), when it parsed. */
  readonly retryAfter: string | undefined
  /** Metorial's `hint`: what to change, for the developer's log only. */
  readonly hint: string | undefined
  /** Metorial's `errors[]` (which field was wrong, for a 400 `invalid_data`), for the developer's log only. */
  readonly errors: readonly unknown[] | undefined

  constructor(kind: UpstreamFailure, message: string, details: { status?: number; code?: string; retryAfter?: string; hint?: string; errors?: readonly unknown[] } = {}) {
    super(message)
    this.kind = kind
    this.status = details.status
    this.code = details.code
    this.retryAfter = details.retryAfter
    this.hint = details.hint
    this.errors = details.errors
  }
}
