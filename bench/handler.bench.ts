// The server handler's own cost per route: Metorial's answers are recorded once from the simulation,
// then replayed from memory, so each measurement is our handler alone (routing, the user, body
// checks, the upstream request and its parsing, the store, the response), with no network and no
// simulation work. The store is the in-memory one, so a database does not count here either (the
// PGlite list at 100,000 connections is measured in server.bench.ts).
import { bench, describe } from 'vitest'
import { createConnectServer, memoryConnectionStore } from '../src/server/index.js'
import type { ConnectServer } from '../src/server/index.js'
import { createMetorialSimulation } from '../src/simulation/index.js'

const USER = 'user-bench'
const APP = 'http://app.test/api/connect'
const simulation = createMetorialSimulation({ apiKey: 'metorial_sk_bench', publicBaseUrl: 'http://127.0.0.1:1' })

interface Recorded {
  status: number
  headers: [string, string][]
  body: string
}
const recorded = new Map<string, Recorded>()
/** `GET /provider-setup-sessions/pss_abc` → `GET /provider-setup-sessions/:id`: one answer per route. */
const keyOf = (request: Request) => `${request.method} ${new URL(request.url).pathname.replace(/\/[a-z]+_[A-Za-z0-9]+/g, '/:id')}`

function server(fetch: typeof globalThis.fetch): ConnectServer {
  return createConnectServer({
    apiKey: simulation.apiKey,
    baseUrl: 'http://metorial.test',
    fetch,
    getUserId: () => USER,
    store: memoryConnectionStore(),
    allowedRedirectOrigins: ['http://app.test'],
    logger: { warn() {}, error() {} },
  })
}

const recording = server(async (input, init) => {
  const request = new Request(input, init)
  const response = await simulation.handle(request)
  recorded.set(keyOf(request), { status: response.status, headers: [...response.headers], body: await response.clone().text() })
  return response
})
const replaying = server(async (input, init) => {
  const request = new Request(input, init)
  const answer = recorded.get(keyOf(request))
  if (!answer) throw new Error(`no recorded answer for ${keyOf(request)}`)
  return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers: answer.headers })
})

const create = () =>
  new Request(`${APP}/setup-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://app.test' },
    body: JSON.stringify({ providerId: 'slack', redirectUrl: 'http://app.test/connect/callback' }),
  })

async function expectStatus(response: Response | Promise<Response>, status: number): Promise<void> {
  const answer = await response
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${await answer.text()}`)
}

// Record every route once: create, read (completed, so the connection is saved), list, remove.
const createdAnswer = await recording.handler(create())
const sessionId = ((await createdAnswer.json()) as { id: string }).id
const authConfigId = simulation.complete(sessionId)
if (!authConfigId) throw new Error('the simulation did not complete the session')
await expectStatus(recording.handler(new Request(`${APP}/setup-sessions/${sessionId}`)), 200)
await expectStatus(recording.handler(new Request(`${APP}/connections`)), 200)
await expectStatus(recording.handler(new Request(`${APP}/connections/${authConfigId}`, { method: 'DELETE' })), 204)
// The replaying server saves the same connection on its first read.
await expectStatus(replaying.handler(new Request(`${APP}/setup-sessions/${sessionId}`)), 200)

describe('handler overhead per route (Metorial answers replayed from memory, memory store)', () => {
  bench('POST setup-sessions', () => expectStatus(replaying.handler(create()), 201))
  bench('GET setup-sessions/{id} (completed: saved once, then found)', () =>
    expectStatus(replaying.handler(new Request(`${APP}/setup-sessions/${sessionId}`)), 200),
  )
  bench('GET connections', () => expectStatus(replaying.handler(new Request(`${APP}/connections`)), 200))
  bench('DELETE connections/{id} (repeated: already removed)', () =>
    expectStatus(replaying.handler(new Request(`${APP}/connections/${authConfigId}`, { method: 'DELETE' })), 204),
  )
})
