// @vitest-environment node
// Hostile requests: what a hostile or broken client sends to toNodeHandler gets a 4xx, never a 500.
import { createServer } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeHandler } from '../../src/server/index.js'
import { makeServer } from './helpers.js'

let port = 0
let proxiedPort = 0
const servers: Array<ReturnType<typeof createServer>> = []

async function listen(trustProxy: boolean): Promise<number> {
  const { server } = makeServer({ trustProxy })
  const http = createServer(toNodeHandler(server.handler, { trustProxy }))
  servers.push(http)
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  return (http.address() as AddressInfo).port
}

beforeAll(async () => {
  port = await listen(false)
  proxiedPort = await listen(true)
})

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
})

/** The body of a chunked answer (Node chunks a body written without Content-Length). */
function dechunk(body: string): string {
  return body.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, '')
}

/** Sends raw HTTP/1.1 (fetch would refuse most of these) and returns the status line's code and body. */
function raw(to: number, method: string, headers: string[], path = '/api/connect/connections'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(to, '127.0.0.1', () => socket.write([`${method} ${path} HTTP/1.1`, ...headers, 'x-user: alice', 'Connection: close', '', ''].join('\r\n')))
    let data = ''
    socket.on('data', chunk => (data += chunk))
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), body: dechunk(data.slice(data.indexOf('\r\n\r\n') + 4)) }))
    socket.on('error', reject)
  })
}

describe('toNodeHandler refuses malformed requests with a 4xx', () => {
  it.each(['[::1', 'a b', 'app.example.com:99999', 'a@b', 'x/y'])('Host: %s → 400', async host => {
    const answer = await raw(port, 'GET', [`Host: ${host}`])
    expect(answer.status).toBe(400)
  })

  it.each([
    ['X-Forwarded-Host: [::1'],
    ['X-Forwarded-Host: a b'],
    ['X-Forwarded-Host: evil.example/path'],
    ['X-Forwarded-Proto: javascript'],
    ['X-Forwarded-Proto: ftp'],
  ])('behind trustProxy, %s → 400', async header => {
    const answer = await raw(proxiedPort, 'GET', ['Host: app.example.com', header])
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'invalid_forwarded_header' })
  })

  it('without trustProxy, a malformed X-Forwarded-* header is not read at all', async () => {
    expect((await raw(port, 'GET', ['Host: 127.0.0.1', 'X-Forwarded-Host: [::1', 'X-Forwarded-Proto: ftp'])).status).toBe(200)
  })

  it.each(['TRACE', 'PROPFIND', 'MKCOL', 'PURGE'])('%s → 405 with Allow', async method => {
    const answer = await raw(port, method, ['Host: 127.0.0.1'])
    expect(answer, JSON.stringify(answer)).toMatchObject({ status: 405 })
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'method_not_allowed' })
  })

  it('CONNECT is never a 500', async () => {
    const answer = await raw(port, 'CONNECT', ['Host: 127.0.0.1:443'], '127.0.0.1:443')
    expect(answer.status === 0 || (answer.status >= 400 && answer.status < 500)).toBe(true)
  })
})
