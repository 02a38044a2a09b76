import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { launchChromium } from './support/browser.js'

/**
 * The flow in a real Chromium with its real default environment (nothing injected): timers,
 * `window.open`, `visibilitychange`, `focus`, `storage` events and `BroadcastChannel`. The backend
 * is a function object in the page, so every read is counted. Headless Chromium never hides a page,
 * so the hidden state alone is set by redefining `document.visibilityState` and firing a real
 * `visibilitychange`: the library's own listeners and its own `isHidden()` read them.
 */

const PAGE_SCRIPT = `
  const { SetupFlow, createConnectClient } = RPC
  window.server = { status: 'pending', reads: 0, creates: 0, redirectUrl: null, authConfigId: 'ac_1' }
  const session = () => ({ id: 'pas_1', status: server.status, url: location.origin + '/consent.html', expiresAt: new Date(Date.now() + 600000).toISOString(),
    authConfig: server.status === 'completed' ? { id: server.authConfigId } : null })
  window.backend = {
    createSetupSession: async input => { server.creates++; server.redirectUrl = input.redirectUrl ?? null; return session() },
    getSetupSession: async () => { server.reads++; return session() },
    listConnections: async () => [],
    removeConnection: async () => {},
  }
  window.events = []
  window.makeFlow = options => {
    window.flow = new SetupFlow({ backend, providerId: 'slack', client: createConnectClient(), onEvent: event => events.push(event), ...options })
    window.flow.subscribe(() => {})
    return true
  }
  window.flowStatus = () => window.flow.getState().status
  window.setHidden = hidden => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    document.dispatchEvent(new Event('visibilitychange'))
  }
`

const APP = `<!doctype html><meta charset="utf-8"><title>app</title><script src="/rpc.js"></script>
<button id="connect" onclick="flow.start()">Connect</button><script>${PAGE_SCRIPT}</script>`
const CALLBACK = `<!doctype html><meta charset="utf-8"><title>callback</title><script src="/rpc.js"></script>
<script>RPC.completeSetupSession()</script>`
const CONSENT = `<!doctype html><meta charset="utf-8"><title>consent</title><p>Allow?</p>`

let server: Server
let origin = ''
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: "export * from './src/core/index.ts'; export { completeSetupSession } from './src/callback/index.ts'",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'RPC',
    write: false,
    target: 'es2022',
  })
  const script = bundle.outputFiles[0]!.text
  const pages: Record<string, [string, string]> = {
    '/app.html': ['text/html', APP],
    '/callback.html': ['text/html', CALLBACK],
    '/consent.html': ['text/html', CONSENT],
    '/rpc.js': ['text/javascript', script],
  }
  server = createServer((request, response) => {
    const found = pages[new URL(request.url ?? '/', 'http://x').pathname]
    response.writeHead(found ? 200 : 404, { 'content-type': found?.[0] ?? 'text/plain' })
    response.end(found?.[1] ?? 'not found')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise(resolve => server?.close(resolve))
})

beforeEach(async () => {
  await context?.close()
  context = await browser.newContext()
  page = await context.newPage()
  await page.goto(`${origin}/app.html`)
})

const statusOf = (target: Page = page) => target.evaluate(() => (window as unknown as { flowStatus(): string }).flowStatus())
const serverOf = (target: Page = page) => target.evaluate(() => (window as unknown as { server: { status: string; reads: number; creates: number; redirectUrl: string | null } }).server)
const setServer = (status: string, target: Page = page) => target.evaluate(value => ((window as unknown as { server: { status: string } }).server.status = value), status)
const makeFlow = (options: Record<string, unknown>, target: Page = page) => target.evaluate(value => (window as unknown as { makeFlow(o: unknown): boolean }).makeFlow(value), options)

/** Clicks Connect: the flow opens a real popup, which lands on the consent page. */
async function connect(): Promise<Page> {
  const popup = page.waitForEvent('popup')
  await page.click('#connect')
  const opened = await popup
  await expect.poll(() => opened.url(), { timeout: 5000 }).toContain('/consent.html')
  await expect.poll(() => statusOf(), { timeout: 5000 }).toBe('pending')
  return opened
}

describe('the flow in a real browser, with its real environment', () => {
  test('a real popup opens from the click and reaches the consent page; closing it ends in cancelled once the backend still says pending', async () => {
    await makeFlow({ closeGrace: 300, pollInterval: 60_000 })
    const popup = await connect()
    expect(await popup.title()).toBe('consent')
    await popup.close()
    await expect.poll(() => statusOf(), { timeout: 5000 }).toBe('cancelled')
    const events = await page.evaluate(() => (window as unknown as { events: Array<{ type: string }> }).events.map(event => event.type))
    expect(events).toEqual(expect.arrayContaining(['popup_opened', 'session_created', 'popup_closed']))
  })

  test('while the page is hidden scheduled checks stop; becoming visible checks at once and shows the completion', async () => {
    await makeFlow({ pollInterval: 200, maxPollInterval: 200 })
    await connect()
    await expect.poll(async () => (await serverOf()).reads, { timeout: 5000 }).toBeGreaterThan(2)
    await page.evaluate(() => (window as unknown as { setHidden(h: boolean): void }).setHidden(true))
    await page.waitForTimeout(300)
    const hiddenReads = (await serverOf()).reads
    await setServer('completed')
    await page.waitForTimeout(1500)
    expect((await serverOf()).reads).toBe(hiddenReads)
    expect(await statusOf()).toBe('pending')
    await page.evaluate(() => (window as unknown as { setHidden(h: boolean): void }).setHidden(false))
    await expect.poll(() => statusOf(), { timeout: 2000 }).toBe('completed')
  })

  test('a focus event on the window checks the backend at once, between slow scheduled checks', async () => {
    await makeFlow({ pollInterval: 60_000 })
    await connect()
    const before = (await serverOf()).reads
    await setServer('completed')
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    await expect.poll(() => statusOf(), { timeout: 2000 }).toBe('completed')
    expect((await serverOf()).reads).toBe(before + 1)
  })

  test('the callback page in a tab without an opener reaches the flow (storage event or BroadcastChannel), within one round trip', async () => {
    await makeFlow({ pollInterval: 60_000, redirectUrl: `${origin}/callback.html` })
    await connect()
    const { redirectUrl } = await serverOf()
    expect(redirectUrl).toContain('connect_state=')
    await setServer('completed')
    const tab = await context.newPage()
    // A signal with another state, on both channels, is nobody's: no check, still pending.
    await tab.goto(`${origin}/consent.html`)
    await tab.evaluate(() => {
      const forged = { type: 'react-provider-connect:callback', state: 'someone-else' }
      new BroadcastChannel('react-provider-connect').postMessage(forged)
      localStorage.setItem('react-provider-connect:callback', JSON.stringify(forged))
    })
    await page.waitForTimeout(500)
    expect(await statusOf()).toBe('pending')
    expect((await serverOf()).reads).toBe(0)
    await tab.goto(redirectUrl!)
    await expect.poll(() => statusOf(), { timeout: 3000 }).toBe('completed')
    const channels = await page.evaluate(() =>
      (window as unknown as { events: Array<{ type: string; channel?: string }> }).events.filter(event => event.type === 'callback_message').map(event => event.channel),
    )
    expect(channels.length).toBeGreaterThan(0)
    expect(channels.every(channel => channel === 'storage' || channel === 'broadcastChannel')).toBe(true)
    expect((await serverOf()).reads).toBe(1)
  })

  test('two tabs, each with its own client: a removal told in one resets the completed button of the other', async () => {
    const other = await context.newPage()
    await other.goto(`${origin}/app.html`)
    await other.evaluate(() => {
      const w = window as unknown as { server: { status: string } }
      w.server.status = 'completed'
    })
    await makeFlow({ pollInterval: 200 }, other)
    const popup = other.waitForEvent('popup')
    await other.click('#connect')
    await popup
    await expect.poll(() => statusOf(other), { timeout: 5000 }).toBe('completed')
    const heard = other.evaluate(
      () =>
        new Promise<unknown>(resolve => {
          const client = (window as unknown as { RPC: { createConnectClient(): { subscribeConnectionsChanged(l: (c: unknown) => void): () => void } } }).RPC.createConnectClient()
          client.subscribeConnectionsChanged(change => resolve(change))
        }),
    )
    await page.evaluate(() => {
      const { createConnectClient } = (window as unknown as { RPC: { createConnectClient(): { notifyConnectionsChanged(c: unknown): void } } }).RPC
      createConnectClient().notifyConnectionsChanged({ removed: 'ac_1' })
    })
    expect(await heard).toEqual({ removed: 'ac_1' })
    await expect.poll(() => statusOf(other), { timeout: 3000 }).toBe('idle')
  })
})
