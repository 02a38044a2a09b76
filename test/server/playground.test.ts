// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlayground, type Playground } from '../../playground/start.js'

let playground: Playground
beforeAll(async () => {
  playground = await startPlayground({ port: 0, logger: { warn() {}, error() {} } })
}, 30_000)
afterAll(() => playground?.close())

describe('startPlayground', () => {
  it('serves the page through Vite', async () => {
    const response = await fetch(playground.url)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<div id="root">')
    expect(html).toContain('/@vite/client')
  })

  it('serves the connect API with the demo user’s pre-connected GitHub', async () => {
    const response = await fetch(`${playground.url}/api/connect/connections`)
    expect(response.status).toBe(200)
    expect((await response.json()).items).toEqual([expect.objectContaining({ providerId: 'github', status: 'active' })])
    const other = await fetch(`${playground.url}/api/connect/connections`, { headers: { cookie: 'demo_user=alice' } })
    expect((await other.json()).items).toEqual([])
  })

  it('runs a whole connect through the simulated consent page', async () => {
    const created = await fetch(`${playground.url}/api/connect/setup-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ providerId: 'slack', redirectUrl: `${playground.url}/callback?connect_state=t` }),
    })
    expect(created.status).toBe(201)
    const session = await created.json()
    expect(session.url.startsWith(`${playground.url}/metorial/consent/`)).toBe(true)
    expect(await (await fetch(session.url)).text()).toContain('Connect your Slack account')
    const allow = await fetch(`${playground.url}/metorial/consent/${session.id}`, {
      method: 'POST',
      body: new URLSearchParams({ client_secret: new URL(session.url).searchParams.get('client_secret') as string, decision: 'allow' }),
      redirect: 'manual',
    })
    expect(allow.headers.get('location')).toBe(`${playground.url}/callback?connect_state=t`)
    const read = await (await fetch(`${playground.url}/api/connect/setup-sessions/${session.id}`)).json()
    expect(read.status).toBe('completed')
    const list = await (await fetch(`${playground.url}/api/connect/connections`)).json()
    expect(list.items.map((item: { id: string }) => item.id)).toContain(read.authConfig.id)
  })

  it('switches the demo user with ?user=', async () => {
    const response = await fetch(`${playground.url}/?user=alice`, { redirect: 'manual' })
    expect(response.status).toBe(303)
    expect(response.headers.get('set-cookie')).toContain('demo_user=alice')
  })
})

describe('the playground database', () => {
  it('keeps connections in its data folder across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rpc-playground-'))
    try {
      const quiet = { warn() {}, error() {} }
      const first = await startPlayground({ port: 0, vite: false, dataDir, logger: quiet })
      const id = await first.seedConnection('alice', { providerId: 'slack', name: 'alice@slack' })
      await first.close()
      const second = await startPlayground({ port: 0, vite: false, dataDir, logger: quiet })
      try {
        expect(second.database).toBe(`PGlite in ${dataDir}`)
        const list = await (await fetch(`${second.url}/api/connect/connections`, { headers: { cookie: 'demo_user=alice' } })).json()
        expect(list.items).toEqual([expect.objectContaining({ id, providerId: 'slack', name: 'alice@slack' })])
        // The demo account is seeded once, not once per start.
        expect((await second.store.list('demo-user')).map(item => item.id)).toEqual(['pac_demo_octocat'])
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
