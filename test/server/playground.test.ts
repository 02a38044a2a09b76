// @vitest-environment node
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
  })

  it('switches the demo user with ?user=', async () => {
    const response = await fetch(`${playground.url}/?user=alice`, { redirect: 'manual' })
    expect(response.status).toBe(303)
    expect(response.headers.get('set-cookie')).toContain('demo_user=alice')
  })
})
