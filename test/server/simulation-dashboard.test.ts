// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { startPlayground } from '../../playground/start.js'
import { createMetorialSimulation } from '../../src/simulation/index.js'

const KEY = 'metorial_sk_sim_dashboard'
const BASE = 'http://sim.test/metorial'

function setup() {
  let clock = Date.parse('2026-03-01T09:30:00Z')
  const sim = createMetorialSimulation({
    apiKey: KEY,
    basePath: '/metorial',
    now: () => clock,
    providers: { slack: { name: 'Slack' }, github: { name: 'GitHub' }, jira: { name: 'Jira', oauthCredentials: false } },
  })
  async function api(method: string, path: string) {
    const response = await sim.handle(new Request(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${KEY}` } }))
    // Any field of the simulation's answer, each read asserted by the test.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, json: (await response.json()) as Record<string, any> }
  }
  const listed = async (query = '') => ((await api('GET', `/provider-auth-configs${query}`)).json.items as Array<{ id: string; status: string }>).map(item => `${item.id}:${item.status}`)
  const page = (path = '/dashboard', init?: RequestInit) => sim.handle(new Request(`${BASE}${path}`, init))
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    page('/dashboard', { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' })
  return { sim, api, listed, page, post, tick: (ms: number) => (clock += ms) }
}

describe('archiveAuthConfig and deleteAuthConfig: what Metorial’s dashboard does', () => {
  it('archive: status archived, still readable by id, listed only under status=archived (or no status filter)', async () => {
    const { sim, api, listed, tick } = setup()
    const id = sim.seedAuthConfig({ providerId: 'slack' })
    const other = sim.seedAuthConfig({ providerId: 'github' })
    tick(5000)
    const archived = sim.archiveAuthConfig(id)
    expect(archived).toMatchObject({ object: 'provider.auth_config', id, status: 'archived', updated_at: '2026-03-01T09:30:05.000Z' })
    expect(await api('GET', `/provider-auth-configs/${id}`)).toMatchObject({ status: 200, json: { id, status: 'archived' } })
    expect(await listed()).toEqual([`${id}:archived`, `${other}:active`])
    expect(await listed('?status=archived')).toEqual([`${id}:archived`])
    expect(await listed('?status=active')).toEqual([`${other}:active`])
    expect(await listed(`?id=${id}&id=${other}&status=active`)).toEqual([`${other}:active`])
    // Archiving again changes nothing; the REST DELETE of an archived config is refused, as before.
    tick(5000)
    expect(sim.archiveAuthConfig(id)).toMatchObject({ status: 'archived', updated_at: '2026-03-01T09:30:05.000Z' })
    expect((await api('DELETE', `/provider-auth-configs/${id}`)).status).toBe(400)
  })

  it('delete: status deleted, never listed whatever the filter, 404 by id, PATCH and DELETE 404; the session that made it still shows it deleted', async () => {
    const { sim, api, listed } = setup()
    const created = await sim.handle(
      new Request(`${BASE}/provider-setup-sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider_id: 'slack' }),
      }),
    )
    const session = (await created.json()) as { id: string }
    const id = sim.complete(session.id) as string
    const archivedFirst = sim.seedAuthConfig({ providerId: 'github' })
    sim.archiveAuthConfig(archivedFirst)
    expect(sim.deleteAuthConfig(id)).toMatchObject({ id, status: 'deleted' })
    expect(sim.deleteAuthConfig(archivedFirst)).toMatchObject({ id: archivedFirst, status: 'deleted' })
    for (const gone of [id, archivedFirst]) {
      expect(await api('GET', `/provider-auth-configs/${gone}`)).toMatchObject({ status: 404, json: { code: 'not_found' } })
      expect((await api('DELETE', `/provider-auth-configs/${gone}`)).status).toBe(404)
    }
    expect((await sim.handle(new Request(`${BASE}/provider-auth-configs/${id}`, { method: 'PATCH', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{"name":"x"}' }))).status).toBe(404)
    expect(await listed()).toEqual([])
    expect(await listed('?status=deleted')).toEqual([])
    expect(await listed(`?id=${id}`)).toEqual([])
    expect((await api('GET', `/provider-setup-sessions/${session.id}`)).json).toMatchObject({ status: 'completed', auth_config: { id, status: 'deleted' } })
    // The test listing keeps every config, saying which is which.
    expect(sim.listAuthConfigs().map(config => `${String(config.id)}:${String(config.status)}`)).toEqual([`${id}:deleted`, `${archivedFirst}:deleted`])
  })

  it('throws for an unknown or deleted id, and for one linked to an identity credential (which stays active)', () => {
    const { sim } = setup()
    expect(() => sim.archiveAuthConfig('pac_nope')).toThrow('No auth config pac_nope')
    const id = sim.seedAuthConfig({ providerId: 'slack' })
    sim.deleteAuthConfig(id)
    expect(() => sim.archiveAuthConfig(id)).toThrow('No auth config')
    expect(() => sim.deleteAuthConfig(id)).toThrow('No auth config')
    const linked = sim.seedAuthConfig({ providerId: 'slack' })
    sim.linkToIdentity(linked)
    expect(() => sim.archiveAuthConfig(linked)).toThrow('linked to an identity credential')
    expect(() => sim.deleteAuthConfig(linked)).toThrow('linked to an identity credential')
    expect(sim.listAuthConfigs().find(config => config.id === linked)).toMatchObject({ status: 'active' })
  })

  it('records nothing in `requests`: they are REST calls only', async () => {
    const { sim, page, post } = setup()
    const id = sim.seedAuthConfig({ providerId: 'slack' })
    sim.archiveAuthConfig(sim.seedAuthConfig({ providerId: 'slack' }))
    await page()
    await post({ auth_config_id: id, action: 'archive' })
    expect(sim.requests).toEqual([])
  })
})

describe('the dashboard page ({base}/dashboard)', () => {
  it('lists active and archived auth configs, newest first, in a table with headers; Archive only for active ones; no API key needed', async () => {
    const { sim, page, tick } = setup()
    const old = sim.seedAuthConfig({ providerId: 'github', name: 'octocat', metadata: { connect_user_id: 'demo-user' } })
    tick(60_000)
    const archived = sim.seedAuthConfig({ providerId: 'slack' })
    sim.archiveAuthConfig(archived)
    const deleted = sim.seedAuthConfig({ providerId: 'slack', name: 'Gone' })
    sim.deleteAuthConfig(deleted)
    const response = await page()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    const html = await response.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<title>Auth configs — Metorial dashboard (simulated)</title>')
    expect([...html.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map(match => match[1])).toEqual(['Auth config', 'Provider', 'Name', 'Status', 'Created', 'Metadata', 'Actions'])
    // Wider than a phone, it scrolls in a region a keyboard can reach.
    expect(html).toContain('<div class="table-scroll" role="region" aria-label="Auth configs" tabindex="0"><table>')
    expect(html).toContain('<caption>2 auth configs, newest first</caption>')
    const rows = [...html.matchAll(/<tr data-auth-config-id="([^"]+)" data-status="([^"]+)">([\s\S]*?)<\/tr>/g)]
    expect(rows.map(match => `${match[1]}:${match[2]}`)).toEqual([`${archived}:archived`, `${old}:active`])
    const [archivedRow, activeRow] = rows.map(match => match[3] as string)
    expect(activeRow).toContain(`<th scope="row"><code>${old}</code></th>`)
    expect(activeRow).toContain('<td>GitHub</td>')
    expect(activeRow).toContain('<td>octocat</td>')
    expect(activeRow).toContain('<time datetime="2026-03-01T09:30:00.000Z">2026-03-01 09:30 UTC</time>')
    expect(activeRow).toContain('<code class="metadata">connect_user_id=<wbr>demo-user</code>')
    expect(activeRow).toContain(`<button type="submit" name="action" value="archive" aria-label="Archive octocat (${old})">Archive</button>`)
    expect(activeRow).toContain(`<button type="submit" name="action" value="delete" aria-label="Delete octocat (${old})">Delete</button>`)
    expect(activeRow).toContain(`<form method="post" action="/metorial/dashboard"><input type="hidden" name="auth_config_id" value="${old}">`)
    expect(archivedRow).toContain('<span class="status-archived">archived</span>')
    expect(archivedRow).not.toContain('value="archive"')
    expect(archivedRow).toContain(`aria-label="Delete Slack account (${archived})"`)
    expect(html).not.toContain(deleted)
    expect(html).not.toContain('<script')
  })

  it('never shows a secret: no tokens, no OAuth app’s client secret, no API key', async () => {
    const { sim, api, page } = setup()
    const app = await sim.handle(
      new Request(`${BASE}/provider-auth-credentials`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider_id: 'jira', config: { client_id: 'tenant-app', client_secret: 'tenant-very-secret', scopes: [] } }),
      }),
    )
    const credentialsId = ((await app.json()) as { id: string }).id
    const session = await sim.handle(
      new Request(`${BASE}/provider-setup-sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider_id: 'jira', provider_auth_credentials_id: credentialsId }),
      }),
    )
    const id = sim.complete(((await session.json()) as { id: string }).id) as string
    const exported = await sim.handle(
      new Request(`${BASE}/provider-auth-config-exports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider_auth_config_id: id, note: 'test' }),
      }),
    )
    const tokens = ((await exported.json()) as { value: Record<string, string> }).value
    expect(tokens.access_token).toMatch(/^tok_/)
    expect((await api('GET', `/provider-auth-configs/${id}`)).status).toBe(200)
    const html = await (await page()).text()
    expect(html).toContain(id)
    for (const secret of [tokens.access_token, tokens.refresh_token, 'tenant-very-secret', KEY, 'pas_secret_']) expect(html).not.toContain(secret)
  })

  it('escapes what it shows: a name or metadata with markup is text', async () => {
    const { sim, page } = setup()
    sim.seedAuthConfig({ providerId: 'slack', name: '<img src=x onerror=alert(1)>', metadata: { note: '"><script>alert(2)</script>' } })
    const html = await (await page()).text()
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;')
  })

  it('says so when there is nothing to list', async () => {
    const { page } = setup()
    const html = await (await page()).text()
    expect(html).toContain('No auth configs yet.')
    expect(html).not.toContain('<table')
  })

  it('Archive and Delete post the form, then 303 back to the page, which says what was done', async () => {
    const { sim, api, page, post } = setup()
    const id = sim.seedAuthConfig({ providerId: 'slack', name: 'Work Slack' })
    const archived = await post({ auth_config_id: id, action: 'archive' }, { 'sec-fetch-site': 'same-origin', origin: 'null' })
    expect(archived.status).toBe(303)
    expect(archived.headers.get('location')).toBe(`/metorial/dashboard?done=archived&id=${id}`)
    expect((await api('GET', `/provider-auth-configs/${id}`)).json.status).toBe('archived')
    const after = await (await page(`/dashboard?done=archived&id=${id}`)).text()
    expect(after).toContain(`<p class="done" role="status">Archived Work Slack (<code>${id}</code>): still readable by id, listed with status archived.</p>`)
    expect(after).toContain(`data-auth-config-id="${id}" data-status="archived"`)

    const deleted = await post({ auth_config_id: id, action: 'delete' }, { origin: 'http://sim.test' })
    expect(deleted.headers.get('location')).toBe(`/metorial/dashboard?done=deleted&id=${id}`)
    expect((await api('GET', `/provider-auth-configs/${id}`)).status).toBe(404)
    const gone = await (await page(`/dashboard?done=deleted&id=${id}`)).text()
    expect(gone).toContain(`Deleted Work Slack (<code>${id}</code>): no list shows it any more and reading it answers 404.`)
    expect(gone).not.toContain(`data-auth-config-id="${id}"`)
    // The notice only states what is true: a made-up one shows nothing.
    expect(await (await page(`/dashboard?done=archived&id=${id}`)).text()).not.toContain('role="status"')
  })

  it('refuses a post from another site, an unknown or deleted id, a linked config, a form without an action; answers 405 to other methods', async () => {
    const { sim, api, post, page } = setup()
    const id = sim.seedAuthConfig({ providerId: 'slack' })
    const foreign: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.test' }]
    for (const headers of foreign) {
      const refused = await post({ auth_config_id: id, action: 'delete' }, headers)
      expect(refused.status).toBe(403)
      expect(await refused.text()).toContain('Only the dashboard’s own page can archive or delete')
    }
    expect((await api('GET', `/provider-auth-configs/${id}`)).json.status).toBe('active')
    expect((await post({ auth_config_id: 'pac_nope', action: 'archive' })).status).toBe(404)
    const linked = sim.seedAuthConfig({ providerId: 'slack' })
    sim.linkToIdentity(linked)
    const refused = await post({ auth_config_id: linked, action: 'archive' })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('Back to the auth configs')
    expect((await post({ auth_config_id: id })).status).toBe(400)
    expect((await post({ auth_config_id: id, action: 'explode' })).status).toBe(400)
    expect((await api('GET', `/provider-auth-configs/${id}`)).json.status).toBe('active')
    const put = await page('/dashboard', { method: 'PUT' })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, POST')
    // Only `{base}/dashboard` itself: any other path is a REST route, which wants the key.
    expect((await page('/dashboard/extra')).status).toBe(401)
  })
})

describe('the playground serves the dashboard at /metorial/dashboard', () => {
  it('lists the demo account and archives it from the page’s own form', async () => {
    const playground = await startPlayground({ port: 0, vite: false, logger: { warn() {}, error() {} } })
    try {
      const html = await (await fetch(`${playground.url}/metorial/dashboard`)).text()
      expect(html).toContain('<tr data-auth-config-id="pac_demo_octocat" data-status="active">')
      const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] as string
      expect(action).toBe('/metorial/dashboard')
      const posted = await fetch(`${playground.url}${action}`, {
        method: 'POST',
        body: new URLSearchParams({ auth_config_id: 'pac_demo_octocat', action: 'archive' }),
        headers: { 'sec-fetch-site': 'same-origin', origin: playground.url },
        redirect: 'manual',
      })
      expect(posted.status).toBe(303)
      expect(posted.headers.get('location')).toBe('/metorial/dashboard?done=archived&id=pac_demo_octocat')
      expect(playground.simulation?.listAuthConfigs().find(config => config.id === 'pac_demo_octocat')).toMatchObject({ status: 'archived' })
    } finally {
      await playground.close()
    }
  }, 30_000)
})
