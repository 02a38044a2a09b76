// @vitest-environment node
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMetorialSimulation } from '../src/simulation/index.js'
import type { RunningSimulation } from '../src/simulation/index.js'

/**
 * docs/react-router.md, run: its code blocks (each named by its first line) are written out as an
 * app's files, with the package's entries pointed at this repository's sources, and then its resource
 * route answers the contract through `loader` and `action`, its pages render on the server.
 */
const ROOT = join(import.meta.dirname, '..')
const APP = join(ROOT, '.tmp', `react-router-recipe-${process.pid}`)
const ENTRIES: Record<string, string> = {
  'react-provider-connect/server': join(ROOT, 'src/server/index.ts'),
  'react-provider-connect/simulation': join(ROOT, 'src/simulation/index.ts'),
  'react-provider-connect/callback': join(ROOT, 'src/callback/index.ts'),
  'react-provider-connect/styles.css': join(ROOT, 'src/styles.css'),
  'react-provider-connect': join(ROOT, 'src/index.ts'),
}

function recipeFiles(): Map<string, string> {
  const doc = readFileSync(join(ROOT, 'docs/react-router.md'), 'utf8')
  const files = new Map<string, string>()
  for (const match of doc.matchAll(/```(?:ts|tsx)\n([\s\S]*?)```/g)) {
    const [first, ...rest] = match[1]!.split('\n')
    const path = /^\/\/ (app\/[\w./$-]+\.tsx?)$/.exec(first ?? '')?.[1]
    if (path) files.set(path, rest.join('\n'))
  }
  return files
}

let sim: RunningSimulation
const saved = { key: process.env.METORIAL_API_KEY, base: process.env.METORIAL_BASE_URL }

beforeAll(async () => {
  sim = await startMetorialSimulation({ port: 0 })
  process.env.METORIAL_API_KEY = sim.connectOptions.apiKey
  process.env.METORIAL_BASE_URL = sim.connectOptions.baseUrl
  for (const [path, code] of recipeFiles()) {
    let source = code
    for (const [entry, target] of Object.entries(ENTRIES)) source = source.replaceAll(`'${entry}'`, `'${target}'`)
    mkdirSync(dirname(join(APP, path)), { recursive: true })
    writeFileSync(join(APP, path), source)
  }
})

afterAll(async () => {
  await sim?.close()
  process.env.METORIAL_API_KEY = saved.key
  process.env.METORIAL_BASE_URL = saved.base
  rmSync(APP, { recursive: true, force: true })
  delete (globalThis as { connectServer?: unknown }).connectServer
})

type RouteModule = {
  loader: (args: { request: Request }) => Promise<Response>
  action: (args: { request: Request }) => Promise<Response>
}

describe('docs/react-router.md', () => {
  it('has the connect server, the splat resource route, the routes, the page and the callback page', () => {
    expect([...recipeFiles().keys()].sort()).toEqual(
      ['app/lib/connect.server.ts', 'app/routes.ts', 'app/routes/api.connect.$.ts', 'app/routes/connect.callback.tsx', 'app/routes/home.tsx'].sort(),
    )
    expect(recipeFiles().get('app/routes.ts')).toContain(`route('api/connect/*', 'routes/api.connect.$.ts')`)
  })

  it('the resource route serves the contract: action creates (POST), loader reads and lists (GET), action removes (DELETE)', async () => {
    const route = (await import(/* @vite-ignore */ join(APP, 'app/routes/api.connect.$.ts'))) as RouteModule
    const headers = { cookie: 'demo_user=rr-user', 'content-type': 'application/json', origin: 'http://app.test' }
    const created = await route.action({
      request: new Request('http://app.test/api/connect/setup-sessions', { method: 'POST', headers, body: JSON.stringify({ providerId: 'slack' }) }),
    })
    expect(created.status).toBeLessThan(300)
    const session = (await created.json()) as { id: string; status: string; url: string }
    expect(session.status).toBe('pending')
    expect(session.url).toContain('/consent/')

    sim.simulation.complete(session.id)
    const read = await route.loader({ request: new Request(`http://app.test/api/connect/setup-sessions/${session.id}`, { headers }) })
    expect(read.status).toBe(200)
    const done = (await read.json()) as { status: string; authConfig: { id: string } }
    expect(done.status).toBe('completed')

    const listed = await route.loader({ request: new Request('http://app.test/api/connect/connections', { headers }) })
    expect(listed.status).toBe(200)
    const { items } = (await listed.json()) as { items: Array<{ id: string; providerId: string }> }
    expect(items.map(item => item.providerId)).toEqual(['slack'])

    const removed = await route.action({ request: new Request(`http://app.test/api/connect/connections/${items[0]!.id}`, { method: 'DELETE', headers }) })
    expect(removed.status).toBeLessThan(300)
    const after = await route.loader({ request: new Request('http://app.test/api/connect/connections', { headers }) })
    expect(((await after.json()) as { items: unknown[] }).items).toEqual([])
  })

  it('the connect server starts in production too (react-router-serve sets NODE_ENV=production)', async () => {
    // createConnectServer refuses production options without `allowedRedirectOrigins` and `store`.
    const saved = { env: process.env.NODE_ENV, server: (globalThis as { connectServer?: unknown }).connectServer }
    process.env.NODE_ENV = 'production'
    delete (globalThis as { connectServer?: unknown }).connectServer
    try {
      const module = (await import(/* @vite-ignore */ `${join(APP, 'app/lib/connect.server.ts')}?production`)) as {
        connectServer: Promise<{ handler: (request: Request) => Promise<Response> }>
      }
      const { handler } = await module.connectServer
      const create = (redirectUrl: string) =>
        handler(
          new Request('http://app.test/api/connect/setup-sessions', {
            method: 'POST',
            headers: { cookie: 'demo_user=rr-production', 'content-type': 'application/json' },
            body: JSON.stringify({ providerId: 'slack', redirectUrl }),
          }),
        )
      // It serves, with production's allowed origins: the local `npm start` address, not the request's.
      const listed = await handler(new Request('http://app.test/api/connect/connections', { headers: { cookie: 'demo_user=rr-production' } }))
      expect([listed.status, await listed.json()]).toEqual([200, { items: [] }])
      expect((await create(`http://localhost:${process.env.PORT ?? 3000}/connect/callback`)).status).toBe(201)
      const refused = await create('http://app.test/connect/callback')
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([400, 'redirect_url_not_allowed'])
    } finally {
      process.env.NODE_ENV = saved.env
      ;(globalThis as { connectServer?: unknown }).connectServer = saved.server
    }
  })

  it('the callback page renders one main with the text once, on the server', async () => {
    const page = (await import(/* @vite-ignore */ join(APP, 'app/routes/connect.callback.tsx'))) as { default: () => React.ReactElement }
    const html = renderToString(createElement(page.default))
    expect(html.match(/<main/g)).toHaveLength(1)
    expect(html.split('you can close this window').length - 1).toBe(1)
  })

  it('the page with the list renders on the server', async () => {
    const page = (await import(/* @vite-ignore */ join(APP, 'app/routes/home.tsx'))) as { default: () => React.ReactElement }
    const html = renderToString(createElement(page.default))
    expect(html).toContain('data-state="loading"')
    expect(html).toContain('Slack')
  })
})
