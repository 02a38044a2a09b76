// The example's backend: serves the built SPA (`npm run build`) and the connect contract at
// /api/connect. Without METORIAL_API_KEY it runs on the shipped Metorial simulation; with it, on
// the real API. Start: `npm run build && npm start` (PORT, HOST optional).
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createConnectServer, ID_PATTERN, memoryConnectionStore, toNodeHandler } from 'react-provider-connect/server'
import { startMetorialSimulation } from 'react-provider-connect/simulation'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const root = fileURLToPath(new URL('./dist/', import.meta.url))

const metorial = process.env.METORIAL_API_KEY
  ? { apiKey: process.env.METORIAL_API_KEY, baseUrl: process.env.METORIAL_BASE_URL }
  : (await startMetorialSimulation({ port: 0 })).connectOptions

const connect = createConnectServer({
  ...metorial,
  // Your session or auth library goes here; the example reads a demo cookie.
  getUserId: request => {
    const user = /(?:^|;\s*)demo_user=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? 'demo-user'
    return ID_PATTERN.test(user) ? user : null
  },
  // In production: sqlConnectionStore({ query: (text, params) => pool.query(text, params) }).
  store: memoryConnectionStore(),
  // Where the consent page may send users back to: required in production. APP_ORIGIN (comma-separated), else this server's own address.
  allowedRedirectOrigins: process.env.NODE_ENV === 'production' ? (process.env.APP_ORIGIN ?? `http://${host}:${port},http://localhost:${port}`).split(',') : undefined,
  // Where your server acts on a completion: once per connection, never from the browser.
  onConnected: ({ userId, providerId, authConfigId }) => console.log(`connected ${providerId} for ${userId}: ${authConfigId}`),
})
const api = toNodeHandler(connect.handler)

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }

function serveFile(res, path) {
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
  createReadStream(path).pipe(res)
}

createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://example')
  if (pathname === '/api/connect' || pathname.startsWith('/api/connect/')) return void api(req, res)
  const file = normalize(join(root, pathname))
  if (file.startsWith(root) && existsSync(file) && statSync(file).isFile()) return serveFile(res, file)
  // The callback page, then the app for every other path.
  if (pathname.replace(/\/$/, '') === '/connect/callback') return serveFile(res, join(root, 'connect/callback/index.html'))
  serveFile(res, join(root, 'index.html'))
}).listen(port, host, () => console.log(`Vite example on http://${host}:${port}`))
