/** An answer the handler gives on purpose: becomes `{ code, message }` with `status`. */
export class ConnectServerError extends Error {
  override readonly name = 'ConnectServerError'
  readonly status: number
  readonly code: string
  readonly headers: Record<string, string>

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.status = status
    this.code = code
    this.headers = headers
  }
}

/** The answer for anything that is not the user's, or not there: the two are never told apart. */
export const notFound = () => new ConnectServerError(404, 'not_found', 'Not found.')
