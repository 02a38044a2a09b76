import { fileURLToPath } from 'node:url'
import { startPlayground } from './start.js'

const playground = await startPlayground({
  port: process.env.PORT ? Number(process.env.PORT) : 5173,
  host: process.env.HOST ?? '127.0.0.1',
  metorialApiKey: process.env.METORIAL_API_KEY,
  metorialBaseUrl: process.env.METORIAL_BASE_URL,
  lifetimeMs: process.env.SETUP_SESSION_LIFETIME_MS ? Number(process.env.SETUP_SESSION_LIFETIME_MS) : undefined,
  databaseUrl: process.env.DATABASE_URL,
  // Milliseconds, or `off`; unset keeps the server's default (60 s).
  syncIntervalMs: process.env.SYNC_INTERVAL_MS === undefined ? undefined : process.env.SYNC_INTERVAL_MS === 'off' ? false : Number(process.env.SYNC_INTERVAL_MS),
  // Git-ignored; delete the folder to start from scratch.
  dataDir: process.env.PLAYGROUND_DATA_DIR ?? fileURLToPath(new URL('../.playground-data', import.meta.url)),
})

const backend = playground.simulation ? `the in-process Metorial simulation, its dashboard at ${playground.url}/metorial/dashboard` : 'the real Metorial API (METORIAL_API_KEY)'
console.log(`react-provider-connect playground: ${playground.url}  (backend: ${backend}; connections in ${playground.database}; ?user=alice switches the demo user)`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void playground.close().then(() => process.exit(0))
  })
}
