// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest'
import { createConnectServer, memoryConnectionStore, type ConnectServerOptions } from '../../../src/server/index.js'
import { createMetorialSimulation } from '../../../src/simulation/index.js'
import { ACCEPTED_VERSIONS, officialRoutes, unknownFields, type OfficialRoute } from './official-routes.js'

/**
 * Every request the server helper sends to Metorial, captured with an injected `fetch`, against
 * Metorial's official generated client: a path and method the client has for that API version,
 * the version header it is sent with, and only body fields the official `transformTo` produces.
 */

const KEY = 'metorial_sk_contract_0123456789'

/** Fields newer than the pinned client (2.1.0), documented in shared/METORIAL.md; nothing else may differ. */
const NEWER_THAN_CLIENT: Record<string, string[]> = {
  // `type` on setup-session create: Metorial's source accepts it (`auth_only` keeps a provider with a
  // configuration schema from staying pending after OAuth); the 2.1.0 client predates it.
  'setupSessions.create': ['type'],
}

interface Sent {
  method: string
  path: string
  version: string | null
  body: unknown
}

function newSimulation() {
  return createMetorialSimulation({ apiKey: KEY, publicBaseUrl: 'http://metorial.test', providers: { slack: { name: 'Slack' } }, serverDeployments: { svd_slack: 'slack' } })
}

function capturing(options: Partial<ConnectServerOptions> = {}, sim = newSimulation()) {
  const sent: Sent[] = []
  const server = createConnectServer({
    apiKey: KEY,
    baseUrl: 'http://metorial.test',
    getUserId: request => request.headers.get('x-user'),
    store: memoryConnectionStore(),
    logger: { warn() {}, error() {} },
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      const text = await request.clone().text()
      sent.push({ method: request.method, path: new URL(request.url).pathname, version: request.headers.get('metorial-version'), body: text === '' ? undefined : JSON.parse(text) })
      return sim.handle(request)
    }) as typeof fetch,
    ...options,
  })
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await server.handler(
      new Request(`http://app.test/api/connect${path}`, { method, headers: { 'x-user': 'alice', ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined }),
    )
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON from the handler, read field by field below
    return { status: response.status, json: (await response.json().catch(() => undefined)) as Record<string, any> }
  }
  return { sim, sent, server, call }
}

/** What is wrong with one request, judged by the official client; empty when nothing is. */
function violations(request: Sent, routes: OfficialRoute[]): string[] {
  const route = routes.find(item => item.method === request.method && item.pattern.test(request.path))
  if (!route) return [`${request.method} ${request.path}: no official client has this route`]
  const out: string[] = []
  if (!ACCEPTED_VERSIONS[route.version].includes(request.version ?? '')) {
    out.push(`${route.name}: Metorial-Version ${request.version} (the ${route.version} client is sent with ${ACCEPTED_VERSIONS[route.version].join(' or ')})`)
  }
  if (request.body !== undefined) {
    if (route.body === null) out.push(`${route.name}: a body the official call does not send`)
    const allowed = new Set(NEWER_THAN_CLIENT[route.name] ?? [])
    for (const field of unknownFields(request.body, route.body)) if (!allowed.has(field)) out.push(`${route.name}: body field ${field} is not one the official transformTo produces`)
  }
  return out
}

let routes: OfficialRoute[]
beforeAll(async () => {
  routes = await officialRoutes()
})

describe("the server helper's requests, checked against Metorial's official client", () => {
  it("api: 'setup-sessions': create (deployment, method, BYO credentials), read, remove (and its read-back), export, import, BYO", async () => {
    const { sim, sent, server, call } = capturing()
    const { id: credentialsId } = await server.createAuthCredentials({ providerId: 'slack', clientId: 'c', clientSecret: 's', scopes: ['a'], name: 'Acme' })
    const byo = capturing({ providerAuthCredentialsId: () => credentialsId }, sim)
    const created = await byo.call('POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'pde_slack', providerAuthMethodId: 'pam_slack_oauth', redirectUrl: 'http://app.test/cb', metadata: { plan: 'pro' } })
    expect(created.status).toBe(201)
    const plain = await call('POST', '/setup-sessions', { providerId: 'slack' })
    sim.complete(plain.json.id)
    expect((await call('GET', `/setup-sessions/${plain.json.id}`)).json.status).toBe('completed')
    const configId = (await server.listConnections('alice'))[0]?.id
    expect(configId).toMatch(/^pac_/)
    await server.exportConnection('alice', configId as string)
    await server.importConnection('alice', { providerId: 'slack', credentials: { access_token: 't' } })
    await server.importConnection('alice', { providerDeploymentId: 'pde_slack', credentials: { access_token: 'u' } })
    // Archived elsewhere first: the remove's DELETE is refused and the helper reads the config back.
    await sim.handle(new Request(`http://metorial.test/provider-auth-configs/${configId}`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } }))
    expect(await server.removeConnection('alice', configId as string)).toBe('removed')
    const all = [...sent, ...byo.sent]
    expect(all.map(request => `${request.method} ${request.path.replace(/\/(p\w+?_)\w+$/, '/$1…')}`)).toEqual([
      'POST /provider-auth-credentials',
      'POST /provider-setup-sessions',
      'GET /provider-setup-sessions/pas_…',
      // listConnections' sync: one list of the user's auth configs by id.
      'GET /provider-auth-configs',
      'POST /provider-auth-config-exports',
      'POST /provider-auth-config-imports',
      'POST /provider-auth-config-imports',
      'DELETE /provider-auth-configs/pac_…',
      'GET /provider-auth-configs/pac_…',
      'POST /provider-setup-sessions',
    ])
    expect(all.flatMap(request => violations(request, routes))).toEqual([])
  })

  it("api: 'oauth-sessions': create, read, remove on the pulsar client's routes and version; export refused before any request", async () => {
    const { sim, sent, server, call } = capturing({ api: 'oauth-sessions' })
    const created = await call('POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack', redirectUrl: 'http://app.test/cb', metadata: { plan: 'pro' } })
    expect(created.status).toBe(201)
    sim.oauthSessions.complete(created.json.id)
    expect((await call('GET', `/setup-sessions/${created.json.id}`)).json.status).toBe('completed')
    const before = sent.length
    await expect(server.exportConnection('alice', created.json.id)).rejects.toMatchObject({ code: 'unsupported_for_legacy_connections' })
    expect(sent).toHaveLength(before)
    expect(await server.removeConnection('alice', created.json.id)).toBe('removed')
    // Imports are magnetar auth configs in either mode.
    await server.importConnection('alice', { providerId: 'slack', credentials: { access_token: 't' } })
    expect(sent.map(request => `${request.method} ${request.path.replace(/soas_\w+$/, 'soas_…')}`)).toEqual([
      'POST /provider-oauth/sessions',
      'GET /provider-oauth/sessions/soas_…',
      'DELETE /provider-oauth/sessions/soas_…',
      'POST /provider-auth-config-imports',
    ])
    // The deployment and provider ride in the metadata: the official legacy session has no field for them.
    expect(sent[0]?.body).toMatchObject({ server_deployment_id: 'svd_slack', metadata: { plan: 'pro', react_provider_connect_deployment_id: 'svd_slack', react_provider_connect_provider_id: 'slack' } })
    expect(sent.flatMap(request => violations(request, routes))).toEqual([])
  })
})
