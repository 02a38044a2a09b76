// @vitest-environment node
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { toNodeHandler } from '../../src/server/index.js'

const servers: Array<ReturnType<typeof createServer>> = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
})

/** An echo handler: what the adapter built, as JSON. */
async function echo(request: Request): Promise<Response> {
  const headers = new Headers({ 'x-echo': '1' })
  headers.append('set-cookie', 'a=1')
  headers.append('set-cookie', 'b=2')
  return Response.json({ method: request.method, url: request.url, body: await request.text(), type: request.headers.get('content-type') }, { status: 201, headers })
}

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('toNodeHandler', () => {
  it('builds the absolute URL from Host, passes the body and writes status, headers and cookies back', async () => {
    const base = await serve(toNodeHandler(echo))
    const response = await fetch(`${base}/api/connect/setup-sessions?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"providerId":"slack"}' })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-echo')).toBe('1')
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await response.json()).toEqual({ method: 'POST', url: `${base}/api/connect/setup-sessions?x=1`, body: '{"providerId":"slack"}', type: 'application/json' })
  })

  it('answers 413 past the body limit, without handing the request on', async () => {
    let called = false
    const base = await serve(toNodeHandler(async request => ((called = true), echo(request)), { maxBodyBytes: 100 }))
    const response = await fetch(`${base}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blob: 'x'.repeat(500) }) })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ code: 'body_too_large' })
    expect(called).toBe(false)
  })

  it('answers 413 for a chunked body with no Content-Length', async () => {
    const base = await serve(toNodeHandler(echo, { maxBodyBytes: 100 }))
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(50)))
        controller.close()
      },
    })
    const response = await fetch(`${base}/x`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(413)
  })

  it('uses req.body when Express already parsed JSON, and originalUrl under a mount path', async () => {
    const handler = toNodeHandler(echo)
    const base = await serve((req, res) => {
      let raw = ''
      req.on('data', chunk => (raw += chunk))
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(raw), originalUrl: `/api/connect${req.url}` })
        req.url = '/setup-sessions'
        void handler(req, res)
      })
    })
    const response = await fetch(`${base}/setup-sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"providerId":"github"}' })
    expect(await response.json()).toMatchObject({ url: `${base}/api/connect/setup-sessions`, body: '{"providerId":"github"}' })
  })

  it('trusts X-Forwarded-* only when told to', async () => {
    const plain = await serve(toNodeHandler(echo))
    const proxied = await serve(toNodeHandler(echo, { trustProxy: true }))
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com' }
    expect((await (await fetch(`${plain}/a`, { headers })).json()).url).toBe(`${plain}/a`)
    expect((await (await fetch(`${proxied}/a`, { headers })).json()).url).toBe('https://app.example.com/a')
  })

  it('hands a handler crash to next() (Express) or answers 500', async () => {
    const crash = async (): Promise<Response> => {
      throw new Error('boom')
    }
    let forwarded: unknown
    const withNext = await serve((req, res) => {
      void toNodeHandler(crash)(req, res, error => {
        forwarded = error
        res.writeHead(500).end()
      })
    })
    await fetch(`${withNext}/a`)
    expect(forwarded).toBeInstanceOf(Error)
    const bare = await serve(toNodeHandler(crash))
    const response = await fetch(`${bare}/a`)
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ code: 'internal_error' })
  })
})
