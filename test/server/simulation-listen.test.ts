// @vitest-environment node
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createConnectServer, memoryConnectionStore } from '../../src/server/index.js'
import { startMetorialSimulation } from '../../src/simulation/index.js'

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

describe('startMetorialSimulation: the server helper without a Metorial key', () => {
  it('listens on a port; its connectOptions run a whole connect over HTTP, consent page included', async () => {
    const port = await freePort()
    const running = await startMetorialSimulation({ port })
    try {
      expect(running.url).toBe(`http://127.0.0.1:${port}`)
      expect(await startMetorialSimulation({ port })).toBe(running) // a hot reload gets the running one
      const connect = createConnectServer({ ...running.connectOptions, getUserId: () => 'alice', store: memoryConnectionStore() })
      const created = await connect.handler(
        new Request('http://app.test/api/connect/setup-sessions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ providerId: 'slack', redirectUrl: 'http://app.test/cb?connect_state=s' }),
        }),
      )
      const session = (await created.json()) as { id: string; url: string }
      expect(session.url.startsWith(`${running.url}/consent/${session.id}?client_secret=`)).toBe(true)
      expect(await (await fetch(session.url)).text()).toContain('Connect your Slack account')
      const allow = await fetch(`${running.url}/consent/${session.id}`, {
        method: 'POST',
        body: new URLSearchParams({ client_secret: new URL(session.url).searchParams.get('client_secret') as string, decision: 'allow' }),
        redirect: 'manual',
      })
      expect(allow.headers.get('location')).toBe('http://app.test/cb?connect_state=s')
      const read = (await (await connect.handler(new Request(`http://app.test/api/connect/setup-sessions/${session.id}`))).json()) as { status: string }
      expect(read.status).toBe('completed')
      expect(await connect.listConnections('alice')).toEqual([expect.objectContaining({ providerId: 'slack', name: 'Slack account' })])
    } finally {
      await running.close()
    }
    const again = await startMetorialSimulation({ port })
    expect(again.url).toBe(`http://127.0.0.1:${port}`)
    await again.close()
  })
})
