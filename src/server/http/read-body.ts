import { ConnectServerError } from './connect-server-error.js'

/** The largest request body read by default, by the handler and by `toNodeHandler`: 16 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024

function tooLarge(maxBytes: number): ConnectServerError {
  return new ConnectServerError(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`)
}

/** Reads the body as text, stopping as soon as it passes `maxBytes` (413), whatever Content-Length says. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

/** Reads a JSON body: 415 unless it is sent as JSON (which also keeps cross-site form posts out), 400 when it does not parse. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) {
    throw new ConnectServerError(415, 'unsupported_media_type', 'Send the request body as JSON with `Content-Type: application/json`.')
  }
  const text = await readBodyText(request, maxBytes)
  if (text.trim() === '') throw new ConnectServerError(400, 'invalid_json', 'The request body is empty: send JSON such as { "providerId": "slack" }.')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ConnectServerError(400, 'invalid_json', 'The request body is not valid JSON.')
  }
}
