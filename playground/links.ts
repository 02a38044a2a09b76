import type { IncomingMessage, ServerResponse } from 'node:http'
import { ConnectServerError, ID_PATTERN, type ConnectServer } from '../src/server/index.js'

/** How long one wait request is held open before the page asks again. */
const WAIT_SLICE_MS = 25_000

function signedInUser(req: IncomingMessage): string {
  const user = /(?:^|;\s*)demo_user=([^;]*)/.exec(req.headers.cookie ?? '')?.[1]
  const decoded = user ? decodeURIComponent(user) : 'demo-user'
  return ID_PATTERN.test(decoded) ? decoded : 'demo-user'
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(body === null ? undefined : JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of req) {
    text += String(chunk)
    if (text.length > 4096) throw new ConnectServerError(413, 'body_too_large', 'The body is too large.')
  }
  const value: unknown = JSON.parse(text || '{}')
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

/**
 * The playground's own routes for "Send me a link": what an app's server code (an agent, a chat
 * bot) does with `createConnectLink` and `waitForConnection`, for the signed-in demo user.
 * - `POST /api/demo/links` `{ providerId, replacesConnectionId? }` → `201 { id, url, expiresAt }`
 * - `GET /api/demo/links/wait?providerId=…` → `200 { connection }` once the user has one, or `204`
 *   after 25 s (the page asks again); a closed request stops its wait.
 */
export function connectLinkDemo(connect: ConnectServer) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://playground')
    const userId = signedInUser(req)
    try {
      if (req.method === 'POST' && url.pathname === '/api/demo/links') {
        const body = await readJson(req)
        const providerId = typeof body.providerId === 'string' ? body.providerId : ''
        const replacesConnectionId = typeof body.replacesConnectionId === 'string' ? body.replacesConnectionId : undefined
        return json(res, 201, await connect.createConnectLink({ userId, providerId, ...(replacesConnectionId ? { replacesConnectionId } : {}) }))
      }
      if (req.method === 'GET' && url.pathname === '/api/demo/links/wait') {
        const providerId = url.searchParams.get('providerId') ?? ''
        const gone = new AbortController()
        res.on('close', () => gone.abort())
        try {
          return json(res, 200, { connection: await connect.waitForConnection({ userId, providerId, timeoutMs: WAIT_SLICE_MS, signal: gone.signal }) })
        } catch (error) {
          if (error instanceof ConnectServerError && (error.code === 'timeout' || error.code === 'aborted')) return res.writableEnded ? undefined : json(res, 204, null)
          throw error
        }
      }
      return json(res, 404, { error: { code: 'not_found', message: 'No such demo route.' } })
    } catch (error) {
      if (error instanceof ConnectServerError) return json(res, error.status, { error: { code: error.code, message: error.message } })
      const message = error instanceof Error ? error.message : String(error)
      return json(res, 400, { error: { code: 'bad_request', message } })
    }
  }
}
