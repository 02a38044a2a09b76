import type { IncomingMessage, ServerResponse } from 'node:http'
import { DEFAULT_MAX_BODY_BYTES } from './options.js'

export interface NodeHandlerOptions {
  /** Largest body read from the stream; larger ones get a 413 without being read. Defaults to `16384` bytes (16 KiB). */
  maxBodyBytes?: number
  /**
   * Believe `X-Forwarded-Proto` / `X-Forwarded-Host` when building the request URL (behind your own
   * proxy), so `request.url` shows the address the browser used. Defaults to `false`.
   */
  trustProxy?: boolean
}

/** What Express (or any framework) leaves on the request: `body` once a body parser ran, `originalUrl` under a mount path. */
type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string }

type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>

class BodyTooLarge extends Error {}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value?.split(',')[0]?.trim()
}

function requestUrl(req: NodeRequest, trustProxy: boolean): string {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true
  const proto = (trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http')
  const host = (trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost'
  const origin = new URL(`${proto}://${host}`).origin
  return new URL(`${origin}${requestPath(req.originalUrl ?? req.url ?? '/')}`).toString()
}

/**
 * The path and query of the request target, never its authority: an absolute-form target
 * (`GET http://evil.example/x`) or a `//evil.example/x` path must not change the request's origin,
 * which is the default allowed `redirectUrl` origin.
 */
function requestPath(target: string): string {
  if (target.startsWith('/')) return target
  try {
    const url = new URL(target)
    return `${url.pathname}${url.search}`
  } catch {
    return '/'
  }
}

function readStream(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        req.removeAllListeners('data')
        req.resume()
        reject(new BodyTooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** The body, taken from a body parser's `req.body` when one already consumed the stream. */
async function readBody(req: NodeRequest, maxBytes: number): Promise<Uint8Array | string | undefined> {
  if (req.body !== undefined && (req.readableEnded || req.complete)) {
    if (typeof req.body === 'string' || req.body instanceof Uint8Array) return req.body
    return JSON.stringify(req.body)
  }
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge()
  const bytes = await readStream(req, maxBytes)
  return bytes.byteLength === 0 ? undefined : bytes
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  res.writeHead(response.status, headers)
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined)
}

function tooLargeResponse(maxBytes: number): Response {
  return new Response(JSON.stringify({ code: 'body_too_large', message: `The request body is larger than ${maxBytes} bytes.` }), {
    status: 413,
    headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
  })
}

/**
 * Adapts a fetch-standard handler (such as `createConnectHandler()`'s) to Node's `http` server and
 * Express: `app.use('/api/connect', toNodeHandler(handler))`. Reads the body with a size limit, or
 * uses `req.body` when a body parser already read it, and writes the `Response` back.
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response>, options: NodeHandlerOptions = {}): NodeListener {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  return async function nodeHandler(req, res, next) {
    try {
      const nodeReq = req as NodeRequest
      const method = req.method ?? 'GET'
      let body: Uint8Array | string | undefined
      if (method !== 'GET' && method !== 'HEAD') {
        try {
          body = await readBody(nodeReq, maxBytes)
        } catch (error) {
          if (error instanceof BodyTooLarge) return await writeResponse(res, tooLargeResponse(maxBytes))
          throw error
        }
      }
      const controller = new AbortController()
      res.on('close', () => {
        if (!res.writableFinished) controller.abort()
      })
      const request = new Request(requestUrl(nodeReq, options.trustProxy ?? false), {
        method,
        headers: toHeaders(req),
        body: body as BodyInit | undefined,
        signal: controller.signal,
      })
      await writeResponse(res, await handler(request))
    } catch (error) {
      if (next) return next(error)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify({ code: 'internal_error', message: 'The request could not be handled.' }))
    }
  }
}

/** Same as `toNodeHandler`. */
export const createNodeHandler = toNodeHandler
