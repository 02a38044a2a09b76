import { execFile } from 'node:child_process'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { promisify } from 'node:util'

export const STORYBOOK_DIR = join(process.cwd(), 'storybook-static')

/** `npx storybook build -o storybook-static --quiet`, then the story ids from its `index.json`. */
export async function buildStorybook(): Promise<Array<{ id: string; title: string; name: string }>> {
  await promisify(execFile)('npx', ['storybook', 'build', '-o', 'storybook-static', '--quiet'], {
    cwd: process.cwd(),
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', CI: 'true' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 180_000,
  })
  const index = JSON.parse(readFileSync(join(STORYBOOK_DIR, 'index.json'), 'utf8')) as {
    entries: Record<string, { id: string; title: string; name: string; type: string }>
  }
  return Object.values(index.entries)
    .filter(entry => entry.type === 'story')
    .map(({ id, title, name }) => ({ id, title, name }))
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
}

/** A tiny static server for `storybook-static` on 127.0.0.1 and a free port. */
export async function serveStatic(root = STORYBOOK_DIR): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://static').pathname)
    // Chromium asks for /favicon.ico once per browser; Storybook ships an SVG one.
    if (pathname === '/favicon.ico') pathname = '/favicon.svg'
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname))
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      return void res.end('Not found')
    }
    // Scripts and styles may be cached (the build does not change while it is served); pages never.
    const cache = extname(file) === '.html' ? 'no-store' : 'max-age=3600'
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Records the preview's channel events (`storyRendered`, `storyFinished`, play-function errors …) in `window.__e2eStoryEvents`. */
export function storyEventsInitScript(): void {
  const names = ['storyRendered', 'storyFinished', 'playFunctionThrewException', 'storyErrored', 'storyThrewException', 'storyMissing', 'unhandledErrorsWhilePlaying']
  const events: Array<{ name: string; payload: unknown }> = []
  const target = window as unknown as Record<string, unknown>
  target.__e2eStoryEvents = events
  let channel: unknown
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(value: { on?: (name: string, listener: (payload: unknown) => void) => void }) {
      channel = value
      for (const name of names) {
        value?.on?.(name, payload => {
          let safe: unknown
          try {
            safe = JSON.parse(JSON.stringify(payload ?? null))
          } catch {
            safe = String(payload)
          }
          events.push({ name, payload: safe })
        })
      }
    },
  })
}
