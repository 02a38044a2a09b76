// Throughput of the server helper in front of the in-process Metorial simulation (no network).
import { bench, describe } from 'vitest'
import { createConnectHandler } from '../src/server/index.js'
import { createMetorialSimulation } from '../src/simulation/index.js'

const apiKey = 'metorial_sk_bench'
const simulation = createMetorialSimulation({ apiKey, publicBaseUrl: 'http://127.0.0.1:1' })
const handler = createConnectHandler({
  apiKey,
  baseUrl: 'http://metorial.test',
  fetch: (input, init) => simulation.handle(new Request(input, init)),
  getUserId: () => 'bench-user',
  allowedRedirectOrigins: ['http://app.test'],
})

let sessionId = ''
const created = await handler(
  new Request('http://app.test/api/connect/setup-sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ providerId: 'slack' }),
  }),
)
sessionId = ((await created.json()) as { id: string }).id

describe('createConnectHandler over the simulation', () => {
  bench('GET setup-sessions/{id}', async () => {
    const response = await handler(new Request(`http://app.test/api/connect/setup-sessions/${sessionId}`))
    if (response.status !== 200) throw new Error(`status ${response.status}`)
  })
  bench('GET connections', async () => {
    const response = await handler(new Request('http://app.test/api/connect/connections'))
    if (response.status !== 200) throw new Error(`status ${response.status}`)
  })
})
