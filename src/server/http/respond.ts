import type { ConnectServerError } from './connect-server-error.js'

// Answers carry per-user data and consent URLs with a client secret: no cache may keep them.
const BASE_HEADERS = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' }

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonText(status, JSON.stringify(body), headers)
}

/** A body already serialized (to hash it for an `ETag`, say), sent with the same headers as `json`. */
export function jsonText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...BASE_HEADERS, ...headers } })
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } })
}

/** The contract's error shape: `{ code, message }`. */
export function errorResponse(error: ConnectServerError): Response {
  return json(error.status, { code: error.code, message: error.message }, error.headers)
}
