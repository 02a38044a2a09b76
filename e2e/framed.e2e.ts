import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import { CHANNEL_NAME, MESSAGE_TYPE, STORAGE_SIGNAL_KEY } from '../src/core/protocol.js'
import { launchBrowser } from './support/driver.js'
import type { BrowserName, UserBrowser, UserPage, UserSession } from './support/driver.js'
import { attr, consentWindow, focused, named, pathSession, row, text, texts, until } from './support/user-paths.js'

/**
 * The app inside another site's frame, as Notion, Teams or Slack embed one: a host page on
 * `localhost` frames the playground on `127.0.0.1` (another site, so each engine partitions the
 * frame's storage and cookies). Connecting opens the popup from the frame, and the frame itself never
 * leaves the app for a consent page. A cross-site frame gets no first-party cookie, so the app runs
 * as the playground's demo user: each engine connects providers of its own.
 */
const BROWSERS: BrowserName[] = ['chromium', 'firefox', 'webkit']
const PROVIDERS: Record<BrowserName, { popup: [string, string]; blocked: [string, string] }> = {
  chromium: { popup: ['slack', 'Slack'], blocked: ['notion', 'Notion'] },
  firefox: { popup: ['google-calendar', 'Google Calendar'], blocked: ['gmail', 'Gmail'] },
  webkit: { popup: ['google-drive', 'Google Drive'], blocked: ['dropbox', 'Dropbox'] },
}
const FRAME = 'iframe#embedded-app'

let playground: Playground
let host: Server
let hostUrl = ''
let dataDir = ''

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rpc-e2e-framed-'))
  playground = await startPlayground({ port: 0, host: '127.0.0.1', lifetimeMs: 30 * 60 * 1000, dataDir, logger: { warn() {}, error() {} } })
  // The embedding site: one page, an <iframe> of the app, as a workspace tool embeds an integration.
  host = createServer((request, response) => {
    const app = new URL(request.url ?? '/', 'http://localhost').searchParams.get('app') ?? ''
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(`<!doctype html><html lang="en"><head><title>Host workspace</title></head>
<body style="margin:0;font-family:sans-serif;background:#eef">
<header style="padding:8px 16px"><h1 style="font-size:18px;margin:0">Host workspace (another site)</h1></header>
<iframe id="embedded-app" title="Integrations app" src="${app.replace(/"/g, '&quot;')}" style="width:960px;height:680px;border:2px solid #88a;margin:0 16px;background:#fff"></iframe>
</body></html>`)
  })
  await new Promise<void>(resolve => host.listen(0, '127.0.0.1', resolve))
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`
})

afterAll(async () => {
  await new Promise(resolve => host?.close(resolve))
  await playground?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

/** The host page, with the app framed in `mode: 'auto'`, once the app's list is ready. */
async function openHost(session: UserSession): Promise<{ page: UserPage; app: UserPage }> {
  const page = await session.newPage()
  await page.goto(`${hostUrl}?app=${encodeURIComponent(`${playground.url}/?mode=auto`)}`)
  const app = page.frame(FRAME)
  await until(() => attr(app, '.rpc-connections', 'data-state'), state => state === 'ready', 'the framed app’s connections list')
  return { page, app }
}

const state = (app: UserPage, providerId: string) => attr(app, row(providerId), 'data-state')
const waitState = (app: UserPage, providerId: string, value: string, timeout = 20_000) =>
  until(() => state(app, providerId), current => current === value, `${providerId}'s row state`, timeout)

/**
 * Listens in the frame, beside the library, for the callback page's three signals, to say which
 * reach a frame on another site: the popup is top-level, the frame is not, and each engine decides
 * whether they share storage.
 */
const listenForSignals = (app: UserPage) =>
  app.evaluate(`(() => {
    window.__heard = []
    const channel = new BroadcastChannel(${JSON.stringify(CHANNEL_NAME)})
    channel.onmessage = () => window.__heard.push('broadcastChannel')
    addEventListener('storage', event => { if (event.key === ${JSON.stringify(STORAGE_SIGNAL_KEY)} && event.newValue) window.__heard.push('storage') })
    addEventListener('message', event => { if (event.data && event.data.type === ${JSON.stringify(MESSAGE_TYPE)}) window.__heard.push('postMessage') })
    return true
  })()`)

const appPath = async (app: UserPage) => new URL(await app.url()).pathname

describe.for(BROWSERS)('the app in another site’s frame, in %s', name => {
  let browser: UserBrowser
  const providers = PROVIDERS[name]

  beforeAll(async () => {
    const started = Date.now()
    browser = await launchBrowser(name)
    // Vite pre-bundles on the first visit and may reload the page once: done before any path.
    const warm = await browser.newSession()
    await openHost(warm)
    await warm.close()
    console.log(`${name}: launched and warmed up in ${Date.now() - started} ms`)
  })

  afterAll(async () => {
    await browser?.close()
  })

  const newSession = (testName: string) => pathSession(browser, ['framed', name], testName)

  test("mode 'auto' in a frame: the popup opens from the frame, Allow connects, the frame never leaves the app; the disconnect dialog works there", async ({
    task,
  }) => {
    const [id, label] = providers.popup
    const session = await newSession(task.name)
    const { page, app } = await openHost(session)
    expect(await text(app, '[data-testid="current-user"]')).toBe('demo-user')
    await listenForSignals(app)
    await app.click(await named(app, `Connect ${label} (opens in a new window)`, row(id)))
    const popup = await consentWindow(session, page)
    const allowed = Date.now()
    await popup.click(await named(popup, 'Allow'))
    await waitState(app, id, 'connected')
    const took = Date.now() - allowed
    const events = await texts(app, '[data-testid="event-log"] > li')
    const heard = await app.evaluate<string[]>('window.__heard')
    console.log(`${name}: framed app, Allow → connected in ${took} ms; signals that reached the frame: ${[...new Set(heard)].join(', ') || 'none'}; ${events.includes(`${id}: callback_message`) ? 'finished by the callback signal' : 'finished by polling'}`)
    expect(await texts(app, '[data-testid="connected-log"] > li')).toEqual([expect.stringMatching(new RegExp(`^onConnected\\(pac_[A-Za-z0-9]+\\) ${id}$`))])
    expect(events).not.toContain(`${id}: popup_blocked`)
    expect(events).not.toContain(`${id}: redirect`)
    // The frame stayed on the app, the host page on the host: no consent page was ever framed.
    expect(await appPath(app)).toBe('/')
    expect(await page.url()).toMatch(/^http:\/\/localhost:\d+\/\?app=/)
    await until(() => popup.isClosed(), closed => closed, 'the popup closes itself')

    // The disconnect dialog, inside the frame: Escape keeps the connection, Disconnect removes it.
    await app.click(await named(app, `Disconnect ${label}`, row(id)))
    const dialogOpen = () => app.evaluate<boolean>(`Boolean(document.querySelector('[role="dialog"]'))`)
    await until(dialogOpen, open => open, 'the disconnect dialog in the frame')
    await until(() => focused(app), value => value === 'Cancel', 'focus on Cancel in the dialog')
    await app.press('Escape')
    await until(dialogOpen, open => !open, 'the dialog closes on Escape')
    expect(await state(app, id)).toBe('connected')
    await app.click(await named(app, `Disconnect ${label}`, row(id)))
    await until(dialogOpen, open => open, 'the disconnect dialog again')
    await app.click(await named(app, 'Disconnect', '[role="dialog"]'))
    await waitState(app, id, 'disconnected')
    await until(() => text(app, '.rpc-connections > [role="status"]'), value => value === `${label} disconnected.`, 'the list announces the removal')
    expect(await appPath(app)).toBe('/')
    await session.close()
  })

  test('a blocked popup in a frame: Continue in a new tab opens a tab, not the frame, and the frame hears the result', async ({ task }) => {
    const [id, label] = providers.blocked
    const session = await newSession(task.name)
    const { page, app } = await openHost(session)
    // The engine's blocker, made certain: the frame's window.open gets no window.
    await app.evaluate('(window.open = () => null), true')
    await app.click(await named(app, `Connect ${label} (opens in a new window)`, row(id)))
    const link = await named(app, 'Continue in a new tab', row(id))
    expect(await attr(app, link, 'target')).toBe('_blank')
    expect(await app.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="event-log"] > li')].map(li => li.textContent)`)).toContain(`${id}: popup_blocked`)
    const clicked = Date.now()
    await app.click(link)
    const tab = await consentWindow(session, page)
    await tab.click(await named(tab, 'Allow'))
    await waitState(app, id, 'connected', 30_000)
    console.log(`${name}: framed app, blocked popup, new tab → connected ${Date.now() - clicked} ms after the click`)
    expect(await appPath(app)).toBe('/')
    expect(await page.url()).toMatch(/^http:\/\/localhost:\d+\/\?app=/)
    expect(await texts(app, '[data-testid="connected-log"] > li')).toEqual([expect.stringMatching(new RegExp(`^onConnected\\(pac_[A-Za-z0-9]+\\) ${id}$`))])
    await session.close()
  })
})
