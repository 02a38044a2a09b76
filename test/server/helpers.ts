import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createConnectHandler, toNodeHandler, type ConnectHandlerOptions } from '../../src/server/index.js'
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
