// The example's production server: serves the built SPA (`npm run build`) and the connect contract
// at /api/connect. Start: `npm run build && npm start` (PORT, HOST optional).
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toNodeHandler } from 'react-provider-connect/server'
import { createConnect } from './connect.mjs'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const root = fileURLToPath(new URL('./dist/', import.meta.url))

const connect = await createConnect({
  // The app's origins: APP_ORIGIN (comma-separated), else this server's own address.
  allowedRedirectOrigins: process.env.NODE_ENV === 'production' ? (process.env.APP_ORIGIN ?? `http://${host}:${port},http://localhost:${port}`).split(',') : undefined,
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
  // The callback page, with or without the trailing slash; then the app for every other path.
  if (pathname.replace(/\/$/, '') === '/connect/callback') return serveFile(res, join(root, 'connect/callback/index.html'))
  serveFile(res, join(root, 'index.html'))
}).listen(port, host, () => console.log(`Vite example on http://${host}:${port}`))
