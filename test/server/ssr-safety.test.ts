// @vitest-environment node
import { describe, expect, it } from 'vitest'

describe('react-provider-connect/server and /simulation on a server', () => {
  it('import and answer without window or document', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    const touched: string[] = []
    for (const name of ['window', 'document']) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name)
          return undefined
        },
      })
    }
    try {
      const server = await import('../../src/server/index.js')
      const handler = server.createConnectHandler({ apiKey: 'metorial_sk_x', getUserId: () => null })
      expect((await handler(new Request('http://app.test/api/connect/connections'))).status).toBe(401)
      const simulation = await import('../../src/simulation/index.js')
      const sim = simulation.createMetorialSimulation()
      const connect = server.createConnectServer({
        apiKey: sim.apiKey,
        baseUrl: 'http://metorial.test',
        fetch: ((input: RequestInfo | URL, init?: RequestInit) => sim.handle(new Request(input, init))) as typeof fetch,
        getUserId: () => 'u',
        store: server.memoryConnectionStore(),
      })
      expect((await connect.handler(new Request('http://app.test/api/connect/connections'))).status).toBe(200)
      expect(touched).toEqual([])
    } finally {
      delete (globalThis as { window?: unknown }).window
      delete (globalThis as { document?: unknown }).document
    }
  })
})
