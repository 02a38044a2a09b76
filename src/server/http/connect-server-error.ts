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
