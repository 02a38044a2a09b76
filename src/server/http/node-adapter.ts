/*
 * Node ↔ fetch conversion, ours rather than a library's: of our 24 adapter and hostile-request
 * tests, @hono/node-server 1.19 passes 13 and @whatwg-node/server 0.11 passes 8. Neither has
 * `trustProxy` (X-Forwarded-* are never read, so malformed ones are not refused either), a body
 * limit answered 413 before the handler runs, or `next()` for Express; with both, an absolute-form
 * or `//host` request target sets the request's origin, which is the default allowed redirect
 * origin. Each would add 2 to 9 packages (2–4 MB) to a server entry that imports none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { firstValue, forwardedProto, validHost } from './forwarded-origin.js'
import { DEFAULT_MAX_BODY_BYTES } from './read-body.js'

export interface NodeHandlerOptions {
  /** Largest body read from the stream; larger ones get a 413 without being read. Defaults to `16384` bytes (16 KiB). */
  maxBodyBytes?: number
  /**
   * Whether `Host` and `X-Forwarded-Host` / `-Proto` name the address the browser used: set it only
   * behind your own proxy, which sets them. Then `request.url` is built from them (a malformed one
   * answers 400). Otherwise `request.url` is the address the connection came in on, whatever those
   * headers say, since anyone can send them. Defaults to `false`.
   */
  trustProxy?: boolean
}

/** What Express (or any framework) leaves on the request: `body` once a body parser ran, `originalUrl` under a mount path. */
type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string }

type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>

class BodyTooLarge extends Error {}

/** Methods a fetch-standard handler can be given; `CONNECT`, `TRACE` and the like are refused by `Request` itself. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
const ALLOW = [...METHODS].join(', ')

/** A request the adapter answers itself, before any handler runs. */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** The local address the connection came in on, as a URL host. */
function localHost(req: IncomingMessage): string {
  const address = req.socket.localAddress
  const port = req.socket.localPort
  if (!address) return 'localhost'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  const host = mapped ?? (address.includes(':') ? `[${address}]` : address)
  return port ? `${host}:${port}` : host
}

function requestUrl(req: NodeRequest, trustProxy: boolean): string {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true
  const rawHost = header(req.headers.host)
  // A request with a malformed Host is refused whatever is trusted (RFC 9112, section 3.2).
  const host = rawHost === undefined || rawHost === '' ? null : validHost(rawHost)
  if (rawHost !== undefined && rawHost !== '' && host === null) throw new Refused(400, 'invalid_host', 'The Host header is malformed.')
  let origin = `${encrypted ? 'https' : 'http'}://${localHost(req)}`
  if (trustProxy) {
    const rawForwardedHost = firstValue(header(req.headers['x-forwarded-host']))
    const forwardedHost = rawForwardedHost === null ? null : validHost(rawForwardedHost)
    if (rawForwardedHost !== null && forwardedHost === null) throw new Refused(400, 'invalid_forwarded_header', 'The X-Forwarded-Host header is malformed.')
    const proto = forwardedProto(header(req.headers['x-forwarded-proto']))
    if (proto === undefined) throw new Refused(400, 'invalid_forwarded_header', 'The X-Forwarded-Proto header must be http or https.')
    const chosen = forwardedHost ?? host
    if (chosen !== null) origin = `${proto ?? (encrypted ? 'https' : 'http')}://${chosen}`
  }
  try {
    return new URL(`${origin}${requestPath(req.originalUrl ?? req.url ?? '/')}`).toString()
  } catch {
    throw new Refused(400, 'invalid_request_target', 'The request target is malformed.')
  }
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

function refusal(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ code, message }), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } })
}

function tooLargeResponse(maxBytes: number): Response {
  return refusal(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`, { connection: 'close' })
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
      if (!METHODS.has(method)) {
        req.resume()
        return await writeResponse(res, refusal(405, 'method_not_allowed', `${method} is not supported here.`, { allow: ALLOW }))
      }
      let url: string
      try {
        url = requestUrl(nodeReq, options.trustProxy ?? false)
      } catch (error) {
        if (!(error instanceof Refused)) throw error
        req.resume()
        return await writeResponse(res, refusal(error.status, error.code, error.message, error.headers))
      }
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
      const request = new Request(url, {
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
