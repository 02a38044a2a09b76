import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createConnectServer, DEFAULT_OWNER_METADATA_KEY, ID_PATTERN, toNodeHandler, type ConnectionStore, type ConnectServer } from '../src/server/index.js'
import { connectLinkDemo } from './links.js'
import { createMetorialSimulation, type MetorialSimulation } from '../src/simulation/index.js'
import { openPlaygroundStore } from './store.js'
import { PLAYGROUND_PROVIDERS } from './providers.js'

export interface PlaygroundOptions {
  /** Defaults to `5173`; `0` picks a free port. */
  port?: number
  /** Defaults to `'127.0.0.1'`. */
  host?: string
  /** Lifetime of simulated setup sessions. Defaults to 30 minutes. */
  lifetimeMs?: number
  /** Talk to the real Metorial with this secret key instead of the simulation. Defaults to none. */
  metorialApiKey?: string
  /** With `metorialApiKey`. Defaults to `'https://api.metorial.com'`. */
  metorialBaseUrl?: string
  /** Serve the React page through Vite. Defaults to `true`; tests of the API alone can turn it off. */
  vite?: boolean
  /**
   * Where the embedded database (PGlite) keeps connections, so they survive restarts. Defaults to
   * none: an in-memory database, gone when the playground stops.
   */
  dataDir?: string
  /** A PostgreSQL URL to keep connections in instead of PGlite. Defaults to none. */
  databaseUrl?: string
  /**
   * How old the server's last check of a user's connections may be before listing them re-checks
   * with Metorial (an auth config archived in its dashboard then shows as revoked). `false` turns
   * the check off. Defaults to the server's own default (60 s).
   */
  syncIntervalMs?: number | false
  /** Where the connect handler logs. Defaults to `console`. */
  logger?: { warn(message: string, details?: unknown): void; error(message: string, details?: unknown): void }
}

export interface Playground {
  url: string
  /** The in-process Metorial, unless a real API key was given. */
  simulation: MetorialSimulation | null
  /** Where the connect server keeps connections. */
  store: ConnectionStore
  /** The app's connect server: what its own server code calls (`createConnectLink`, `waitForConnection` …). */
  connect: ConnectServer
  /** Which database that is, e.g. `'PGlite in .playground-data'`. */
  database: string
  /** Gives `userId` a connection as if they had connected it (simulation only): returns its id. */
  seedConnection(userId: string, input: { providerId: string; name?: string; id?: string }): Promise<string>
  close(): Promise<void>
}

export const DEMO_USER = 'demo-user'
const DEMO_CONNECTION_ID = 'pac_demo_octocat'
const USER_COOKIE = 'demo_user'
const TENANT_COOKIE = 'demo_tenant'
/** The server deployment the legacy (OAuth sessions) row connects. */
export const LEGACY_DEPLOYMENT = 'svd_notion_legacy'
// The consent page reaches the simulation over HTTP; the handler reaches it in-process through this host.
const SIMULATION_INTERNAL_URL = 'http://metorial.simulation.internal/metorial'

function readUser(request: Request): string {
  const cookie = request.headers.get('cookie') ?? ''
  const match = /(?:^|;\s*)demo_user=([^;]*)/.exec(cookie)
  const user = match?.[1] ? decodeURIComponent(match[1]) : DEMO_USER
  return ID_PATTERN.test(user) ? user : DEMO_USER
}

/** The demo tenant (`?tenant=acme` sets it): resolved on the server, never sent by the page. */
function readTenant(request: Request): string | null {
  return /(?:^|;\s*)demo_tenant=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null
}

/**
 * `?user=alice` on a page switches the demo user, and `?tenant=acme` the tenant (`?tenant=` none),
 * both cookies; then it reloads without the parameter.
 */
function switchUser(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://playground')
  const user = url.searchParams.get('user')
  const tenant = url.searchParams.get('tenant')
  if ((user === null && tenant === null) || url.pathname.startsWith('/api/') || url.pathname.startsWith('/metorial/')) return false
  const cookies: string[] = []
  if (user !== null) cookies.push(ID_PATTERN.test(user) ? `${USER_COOKIE}=${encodeURIComponent(user)}; Path=/; SameSite=Lax` : `${USER_COOKIE}=; Path=/; Max-Age=0`)
  if (tenant !== null) cookies.push(tenant === 'acme' ? `${TENANT_COOKIE}=acme; Path=/; SameSite=Lax` : `${TENANT_COOKIE}=; Path=/; Max-Age=0`)
  url.searchParams.delete('user')
  url.searchParams.delete('tenant')
  res.writeHead(303, { location: `${url.pathname}${url.search}`, 'set-cookie': cookies })
  res.end()
  return true
}

/**
 * Starts the playground: the connect handler at `/api/connect`, the simulation at `/metorial` (its
 * dashboard at `/metorial/dashboard`), the page through Vite.
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const host = options.host ?? '127.0.0.1'
  const real = options.metorialApiKey !== undefined && options.metorialApiKey !== ''
  let publicUrl = ''
  let simulation: MetorialSimulation | null = null
  if (!real) {
    simulation = createMetorialSimulation({
      lifetimeMs: options.lifetimeMs,
      basePath: '/metorial',
      publicBaseUrl: () => `${publicUrl}/metorial`,
      providers: Object.fromEntries(PLAYGROUND_PROVIDERS.map(({ providerId, ...info }) => [providerId, info])),
      serverDeployments: { [LEGACY_DEPLOYMENT]: 'notion' },
    })
  }
  const sim = simulation
  // Bound first: connect links carry the playground's address (`publicUrl`), known once it listens.
  // A request that arrives while the rest starts waits for it.
  const server: Server = createHttpServer()
  let route: ((req: IncomingMessage, res: ServerResponse) => void) | null = null
  const early: Array<() => void> = []
  server.on('request', (req: IncomingMessage, res: ServerResponse) => (route ? route(req, res) : early.push(() => route?.(req, res))))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 5173, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  // A wildcard bind is not an address a browser should be sent to.
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  publicUrl = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
  try {
    return await startOnServer()
  } catch (error) {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
    throw error
  }

  async function startOnServer(): Promise<Playground> {
    const database = await openPlaygroundStore({ dataDir: options.dataDir, databaseUrl: options.databaseUrl })
    const store = database.store
    const upstream = {
      apiKey: real ? (options.metorialApiKey as string) : (sim as MetorialSimulation).apiKey,
      baseUrl: real ? options.metorialBaseUrl : SIMULATION_INTERNAL_URL,
      fetch: real ? undefined : (input: RequestInfo | URL, init?: RequestInit) => (sim as MetorialSimulation).handle(new Request(input, init)),
      getUserId: readUser,
      store,
      logger: options.logger,
      ...(options.syncIntervalMs === undefined ? {} : { syncIntervalMs: options.syncIntervalMs }),
    }
    // BYO OAuth: the "acme" tenant's users connect through Acme's own OAuth apps (simulation only).
    const acmeApps = new Map<string, string>()
    const connectServer = createConnectServer({
      ...upstream,
      providerAuthCredentialsId: (providerId, request) => (readTenant(request) === 'acme' ? (acmeApps.get(providerId) ?? null) : null),
      // Connect links ("Send me a link" on the page): {publicUrl}/links/{token}.
      publicUrl: `${publicUrl}/api/connect`,
      appName: 'Playground',
    })
    if (sim) {
      for (const { providerId } of PLAYGROUND_PROVIDERS) {
        const { id } = await connectServer.createAuthCredentials({ providerId, clientId: `acme-${providerId}`, clientSecret: `acme-${providerId}-secret`, name: 'Acme' })
        acmeApps.set(providerId, id)
      }
    }
    const connect = toNodeHandler(connectServer.handler)
    // The older OAuth sessions API, side by side over the same store (docs/legacy-export-byo.md).
    const legacyConnect = toNodeHandler(createConnectServer({ ...upstream, api: 'oauth-sessions', basePath: '/api/connect-legacy' }).handler)

    async function seedConnection(userId: string, input: { providerId: string; name?: string; id?: string }): Promise<string> {
      if (!sim) throw new Error('seedConnection needs the simulation: the real API makes connections through its consent page only.')
      const existing = input.id === undefined ? null : await store.find(userId, input.id)
      if (existing) return existing.id
      // Metorial copies the session's metadata (its owner among it) onto the auth config it creates.
      const id = sim.seedAuthConfig({ providerId: input.providerId, name: input.name, id: input.id, metadata: { [DEFAULT_OWNER_METADATA_KEY]: userId } })
      await store.insert({ id, userId, providerId: input.providerId, providerDeploymentId: null, sessionId: null, name: input.name ?? null, createdAt: new Date().toISOString(), removedAt: null })
      return id
    }
    // A fixed id, so a persisted database keeps one demo account across restarts (or none, once removed).
    if (sim) {
      const demo = await store.find(DEMO_USER, DEMO_CONNECTION_ID)
      sim.seedAuthConfig({ providerId: 'github', name: 'octocat', id: DEMO_CONNECTION_ID, metadata: { [DEFAULT_OWNER_METADATA_KEY]: DEMO_USER } })
      if (!demo) await store.insert({ id: DEMO_CONNECTION_ID, userId: DEMO_USER, providerId: 'github', providerDeploymentId: null, sessionId: null, name: 'octocat', createdAt: new Date().toISOString(), removedAt: null })
    }
    const simulationRoute = sim ? toNodeHandler(sim.handle) : null

    let vite: { middlewares: (req: IncomingMessage, res: ServerResponse, next: () => void) => void; close(): Promise<void> } | null = null
    if (options.vite !== false) {
      const [{ createServer }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')])
      vite = await createServer({
        configFile: false,
        root: fileURLToPath(new URL('.', import.meta.url)),
        appType: 'spa',
        plugins: [react()],
        // The page links to the simulated Metorial dashboard only when there is one.
        define: { __PLAYGROUND_SIMULATION__: JSON.stringify(sim !== null) },
        logLevel: 'warn',
        server: { middlewareMode: true, hmr: { server } },
      })
    }

    const demoLinks = connectLinkDemo(connectServer)
    route = (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      if (path === '/api/connect' || path.startsWith('/api/connect/')) return void connect(req, res)
      if (path.startsWith('/api/demo/links')) return void demoLinks(req, res)
      if (path === '/api/connect-legacy' || path.startsWith('/api/connect-legacy/')) return void legacyConnect(req, res)
      if (simulationRoute && (path === '/metorial' || path.startsWith('/metorial/'))) return void simulationRoute(req, res)
      if (switchUser(req, res)) return
      if (!vite) {
        res.writeHead(404, { 'content-type': 'text/plain' })
        return void res.end('Not found')
      }
      vite.middlewares(req, res, () => {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('Not found')
      })
    }
    for (const run of early.splice(0)) run()

    return {
      url: publicUrl,
      simulation,
      store,
      connect: connectServer,
      database: database.description,
      seedConnection,
      async close() {
        await vite?.close()
        server.closeAllConnections()
        await new Promise<void>(resolve => server.close(() => resolve()))
        await database.close()
      },
    }
  }
}
