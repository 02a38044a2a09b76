// The connect server, made the same way for the production server (server.mjs) and for Vite's dev
// server (vite.config.ts). Without METORIAL_API_KEY it runs on the shipped Metorial simulation;
// with it, on the real API.
import { createConnectServer, ID_PATTERN, memoryConnectionStore } from 'react-provider-connect/server'
import { startMetorialSimulation } from 'react-provider-connect/simulation'

/** @param {{ allowedRedirectOrigins?: string[] }} [options] */
export async function createConnect(options = {}) {
  const metorial = process.env.METORIAL_API_KEY
    ? { apiKey: process.env.METORIAL_API_KEY, baseUrl: process.env.METORIAL_BASE_URL }
    : (await startMetorialSimulation({ port: 0 })).connectOptions
  return createConnectServer({
    ...metorial,
    // Your session or auth library goes here; the example reads a demo cookie.
    getUserId: request => {
      const user = /(?:^|;\s*)demo_user=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? 'demo-user'
      return ID_PATTERN.test(user) ? user : null
    },
    // In production: sqlConnectionStore({ query: (text, params) => pool.query(text, params) }).
    store: memoryConnectionStore(),
    // Where the consent page may send users back to: required in production (server.mjs lists them).
    allowedRedirectOrigins: options.allowedRedirectOrigins,
    // Where your server acts on a completion: once per connection, never from the browser.
    onConnected: ({ userId, providerId, authConfigId }) => console.log(`connected ${providerId} for ${userId}: ${authConfigId}`),
  })
}
