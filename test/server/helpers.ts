import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createConnectHandler, createConnectServer, memoryConnectionStore, toNodeHandler, type ConnectHandlerOptions, type ConnectServerOptions } from '../../src/server/index.js'
import { createMetorialSimulation, type SimulationOptions } from '../../src/simulation/index.js'

export const API_KEY = 'metorial_sk_test_0123456789abcdef'
export const APP = 'http://app.test'

/** Starts the simulation behind a real `node:http` server on 127.0.0.1. */
export async function startSimulation(options: SimulationOptions = {}) {
  const sim = createMetorialSimulation({
    apiKey: API_KEY,
    providers: { slack: { name: 'Slack' }, github: { name: 'GitHub' }, jira: { name: 'Jira', oauthCredentials: false } },
    ...options,
  })
  const server = createServer(toNodeHandler(sim.handle))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    sim,
    url,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}

export interface Captured {
  warn: string[]
  error: string[]
  all(): string
}

export function captureLogger(): { logger: NonNullable<ConnectHandlerOptions['logger']>; logs: Captured } {
  const logs: Captured = {
    warn: [],
    error: [],
    all: () => [...logs.warn, ...logs.error].join('\n'),
  }
  return {
    logs,
    logger: {
      warn: (message, details) => void logs.warn.push(`${message} ${JSON.stringify(details ?? {})}`),
      error: (message, details) => void logs.error.push(`${message} ${JSON.stringify(details ?? {})}`),
    },
  }
}

/** A handler whose user is the `x-user` header (none → 401), talking to `baseUrl` over HTTP. */
export function makeHandler(baseUrl: string, options: Partial<ConnectHandlerOptions> = {}) {
  const { logger, logs } = captureLogger()
  const handler = createConnectHandler({
    apiKey: API_KEY,
    baseUrl,
    getUserId: request => request.headers.get('x-user'),
    store: memoryConnectionStore(),
    logger,
    ...options,
  })
  /** Calls the handler as the browser would: `call('alice', 'POST', '/setup-sessions', body)`. */
  async function call(user: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...(user ? { 'x-user': user } : {}), ...headers } }
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
      ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
    }
    const response = await handler(new Request(`${APP}/api/connect${path}`, init))
    const text = await response.text()
    // The tests read any field of any answer and assert each read; typing every body would only restate them.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let json: any
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = text
    }
    return { status: response.status, headers: response.headers, json }
  }
  return { handler, call, logs }
}

export const PROVIDERS = {
  slack: { name: 'Slack' },
  github: { name: 'GitHub' },
  notion: { name: 'Notion', configSchema: true },
  exa: { name: 'Exa', authMethod: 'api_key' as const },
  jira: { name: 'Jira', oauthCredentials: false },
}

/**
 * A connect server over an in-process simulation (no sockets), with a store of its own unless one
 * is given; `call` speaks to its handler as the browser would, `upstream()` counts calls to Metorial.
 */
export function makeServer(options: Partial<ConnectServerOptions> = {}, sim = createMetorialSimulation({ apiKey: API_KEY, providers: PROVIDERS, publicBaseUrl: 'http://metorial.test' })) {
  const { logger, logs } = captureLogger()
  const server = createConnectServer({
    apiKey: API_KEY,
    baseUrl: 'http://metorial.test',
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => sim.handle(new Request(input, init))) as typeof fetch,
    getUserId: request => request.headers.get('x-user'),
    store: memoryConnectionStore(),
    logger,
    ...options,
  })
  async function call(user: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, base = `${APP}/api/connect`) {
    const init: RequestInit = { method, headers: { ...(user ? { 'x-user': user } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } }
    if (body !== undefined) init.body = JSON.stringify(body)
    const response = await server.handler(new Request(`${base}${path}`, init))
    const text = await response.text()
    return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) }
  }
  /** Creates a session for `user`, lets the simulation complete it, and has the owner's page read it. */
  async function connect(user: string, providerId = 'slack', extra: Record<string, unknown> = {}) {
    const created = await call(user, 'POST', '/setup-sessions', { providerId, ...extra })
    if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.json)}`)
    const authConfigId = sim.complete(created.json.id)
    const read = await call(user, 'GET', `/setup-sessions/${created.json.id}`)
    return { sessionId: created.json.id as string, authConfigId, read }
  }
  const upstream = () => sim.requests.length
  return { sim, server, call, connect, logs, upstream }
}
