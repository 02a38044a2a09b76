// Server only (the `.server` suffix keeps it out of the browser bundle): the connect server, created
// once per server process. Without METORIAL_API_KEY it runs on the simulation shipped in the package,
// so the example works with no key.
import { createConnectServer, ID_PATTERN, memoryConnectionStore } from 'react-provider-connect/server'
import type { ConnectServer } from 'react-provider-connect/server'
import { startMetorialSimulation } from 'react-provider-connect/simulation'

async function create(): Promise<ConnectServer> {
  const metorial = process.env.METORIAL_API_KEY
    ? { apiKey: process.env.METORIAL_API_KEY, baseUrl: process.env.METORIAL_BASE_URL }
    : (await startMetorialSimulation()).connectOptions
  return createConnectServer({
    ...metorial,
    // Your session or auth library goes here; this reads a demo cookie.
    getUserId: request => {
      const user = /(?:^|;\s*)demo_user=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? 'demo-user'
      return ID_PATTERN.test(user) ? user : null
    },
    // In production: sqlConnectionStore({ query: (text, params) => pool.query(text, params) }).
    store: memoryConnectionStore(),
    // Where the consent page may send users back to. Development needs nothing (request.url is this
    // machine); production (react-router-serve sets NODE_ENV=production) must list the app's origins:
    // APP_ORIGIN (comma-separated), else a local `npm start`.
    allowedRedirectOrigins:
      process.env.NODE_ENV === 'production' ? (process.env.APP_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000},http://127.0.0.1:${process.env.PORT ?? 3000}`).split(',') : undefined,
    // Act on a completion here, on the server, once per connection.
    onConnected: ({ userId, providerId, authConfigId }) => console.log(`connected ${providerId} for ${userId}: ${authConfigId}`),
  })
}

// One per server process, kept across the dev server's module reloads.
const globalForConnect = globalThis as { connectServer?: Promise<ConnectServer> }
export const connectServer = (globalForConnect.connectServer ??= create())
