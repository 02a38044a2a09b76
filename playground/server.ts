import { fileURLToPath } from 'node:url'
import { startPlayground } from './start.js'

const playground = await startPlayground({
  port: process.env.PORT ? Number(process.env.PORT) : 5173,
  host: process.env.HOST ?? '127.0.0.1',
  metorialApiKey: process.env.METORIAL_API_KEY,
  metorialBaseUrl: process.env.METORIAL_BASE_URL,
  lifetimeMs: process.env.SETUP_SESSION_LIFETIME_MS ? Number(process.env.SETUP_SESSION_LIFETIME_MS) : undefined,
  databaseUrl: process.env.DATABASE_URL,
  // Git-ignored; delete the folder to start from scratch.
  dataDir: process.env.PLAYGROUND_DATA_DIR ?? fileURLToPath(new URL('../.playground-data', import.meta.url)),
})

const backend = playground.simulation ? 'the in-process Metorial simulation' : 'the real Metorial API (METORIAL_API_KEY)'
console.log(`react-provider-connect playground: ${playground.url}  (backend: ${backend}; connections in ${playground.database}; ?user=alice switches the demo user)`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void playground.close().then(() => process.exit(0))
  })
}
