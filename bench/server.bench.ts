// The server helper at scale: a PGlite store holding 100,000 connections of 10,000 users, in front
// of the in-process Metorial simulation (no network). A list is one store query; the goal for
// upstream requests per list is 0, and the bench fails if a list ever makes one.
import { PGlite } from '@electric-sql/pglite'
import { afterAll, bench, describe } from 'vitest'
import { createConnectServer, sqlConnectionStore } from '../src/server/index.js'
import { createMetorialSimulation } from '../src/simulation/index.js'

const USERS = 10_000
const CONNECTIONS = 100_000
const USER = 'user-4242'

const simulation = createMetorialSimulation({ apiKey: 'metorial_sk_bench', publicBaseUrl: 'http://127.0.0.1:1' })
const db = new PGlite()
const store = sqlConnectionStore({ query: (text, params) => db.query(text, params) })
await store.list('warm-up')
await db.query(
  `INSERT INTO provider_connections (id, user_id, provider_id, session_id, name, created_at)
   SELECT 'pac_' || g, 'user-' || (g % $1), (ARRAY['slack','github','notion','linear'])[1 + g % 4], 'pas_' || g, 'account ' || g,
          now() - (g || ' seconds')::interval
   FROM generate_series(1, $2) g`,
  [USERS, CONNECTIONS],
)
await db.query('ANALYZE provider_connections')

const connect = createConnectServer({
  apiKey: simulation.apiKey,
  baseUrl: 'http://metorial.test',
  fetch: (input, init) => simulation.handle(new Request(input, init)),
  getUserId: () => USER,
  store,
  // The store's cost of a list alone: the sync with Metorial (at most once a minute per user, one
  // request per 100 connections) is counted in test/server/lifecycle.test.ts.
  syncIntervalMs: false,
  allowedRedirectOrigins: ['http://app.test'],
  logger: { warn() {}, error() {} },
})

const created = await connect.handler(
  new Request('http://app.test/api/connect/setup-sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ providerId: 'slack' }) }),
)
const sessionId = ((await created.json()) as { id: string }).id

let lists = 0
let upstreamDuringLists = 0
async function countedList(run: () => Promise<number>): Promise<void> {
  const before = simulation.requests.length
  const count = await run()
  upstreamDuringLists += simulation.requests.length - before
  lists += 1
  if (count !== CONNECTIONS / USERS) throw new Error(`expected ${CONNECTIONS / USERS} connections, got ${count}`)
  if (simulation.requests.length !== before) throw new Error('a list called Metorial')
}

afterAll(async () => {
  console.log(`upstream requests per list: ${lists === 0 ? 'n/a' : upstreamDuringLists / lists} (${upstreamDuringLists} over ${lists} lists; store: ${CONNECTIONS} connections, ${USERS} users)`)
  await db.close()
})

describe(`one user's list, store of ${CONNECTIONS.toLocaleString('en')} connections across ${USERS.toLocaleString('en')} users (PGlite)`, () => {
  bench('listConnections(userId)', () => countedList(async () => (await connect.listConnections(USER)).length))
  bench('GET connections (handler)', () =>
    countedList(async () => {
      const response = await connect.handler(new Request('http://app.test/api/connect/connections'))
      return ((await response.json()) as { items: unknown[] }).items.length
    }),
  )
})

describe('setup session read (one upstream request each)', () => {
  bench('GET setup-sessions/{id}', async () => {
    const response = await connect.handler(new Request(`http://app.test/api/connect/setup-sessions/${sessionId}`))
    if (response.status !== 200) throw new Error(`status ${response.status}`)
  })
})
