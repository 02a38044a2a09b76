import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import type { MetorialSimulation } from '../src/simulation/index.js'
import { DEFAULT_OWNER_METADATA_KEY } from '../src/server/index.js'
import { Evidence, metaOf } from './support/artifacts.js'
import type { AxeSummary } from './support/axe.js'
import { launchChromium } from './support/browser.js'
import {
  checkAxe,
  connectedLog,
  decide,
  eventLog,
  expectAccessible,
  installMarks,
  liveRegion,
  openApp,
  recordApiRequests,
  list,
  row,
  sleep,
  startConnect,
  textOf,
  uniqueUser,
  waitFor,
  waitForConsent,
  warmUp,
} from './support/playground.js'

let browser: Browser
let playground: Playground
let dataDir = ''
let sim: MetorialSimulation
const LIFETIME = 30 * 60 * 1000
/** Every axe check of the playground's states, asserted together by the last test. */
const axeResults: AxeSummary[] = []

beforeAll(async () => {
  // A fresh database per run, so no run sees another's connections.
  dataDir = mkdtempSync(join(tmpdir(), 'rpc-e2e-data-'))
  playground = await startPlayground({ port: 0, host: '127.0.0.1', lifetimeMs: LIFETIME, dataDir, logger: { warn() {}, error() {} } })
  sim = playground.simulation as MetorialSimulation
  browser = await launchChromium()
  // Warm Vite up (dependency pre-bundling may reload the page once), so no test sees that reload.
  await warmUp(browser, playground.url)
})

afterAll(async () => {
  await browser?.close()
  await playground?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

function authConfigsOf(user: string, providerId?: string) {
  return sim
    .listAuthConfigs()
    .filter(config => (config.metadata as Record<string, unknown>)[DEFAULT_OWNER_METADATA_KEY] === user)
    .filter(config => config.status === 'active' && (!providerId || config.provider_id === providerId))
}

async function expectConnectedOnce(page: Page, providerId: string, suffix = ''): Promise<string> {
  await expect.poll(() => connectedLog(page).count()).toBe(1)
  const line = await textOf(connectedLog(page).first())
  expect(line).toMatch(new RegExp(`^onConnected\\((pac_[A-Za-z0-9]+)\\) ${providerId}${suffix}$`))
  // "Exactly once": later polls, callback messages and revalidations must not call it again.
  await sleep(2500)
  expect(await connectedLog(page).count()).toBe(1)
  return /\((pac_[A-Za-z0-9]+)\)/.exec(line)?.[1] as string
}

describe('playground (Chromium)', () => {
  test('connect: placeholder, consent page, Allow, connected, onConnected once', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const marks = await installMarks(ev.context)
    const api = recordApiRequests(ev.context)
    const user = uniqueUser('connect')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    expect(await textOf(slack.locator('.rpc-row-status'))).toBe('Not connected')
    await ev.shot(page, 'integrations page')
    await checkAxe(ctx, page, 'playground: ready (nothing connected)', axeResults)

    // A slow create keeps the placeholder on screen long enough to see it.
    sim.failNext('create-session', { delayMs: 1500, passThrough: true })
    const apiBefore = api.length
    const opened = page.waitForEvent('popup')
    const { popup, sessionId } = await startConnect(page, async () => {
      await slack.getByRole('button', { name: 'Connect Slack (opens in a new window)' }).click()
      const placeholder = await opened
      ev.watch(placeholder, 'popup')
      // The popup opens at once, inside the click, and says what it is waiting for.
      await placeholder.getByRole('status').filter({ hasText: 'Connecting to Slack…' }).waitFor({ timeout: 5000 })
      expect(await placeholder.title()).toBe('Connecting to Slack…')
      await waitFor(slack, 'data-state', 'connecting')
      expect(await textOf(liveRegion(slack))).toBe('Connecting to Slack…')
      await ev.shot(placeholder, 'popup placeholder')
      await ev.shot(page, 'creating')
    })
    expect(sessionId).toMatch(/^pas_/)
    await waitForConsent(popup)
    await waitFor(slack, 'data-state', 'connecting')
    expect(await textOf(liveRegion(slack))).toBe('Finish connecting in the Slack window.')
    await ev.shot(popup, 'popup consent page')
    await ev.shot(page, 'waiting for slack')
    await checkAxe(ctx, page, 'playground: connecting (pending)', axeResults)
    await checkAxe(ctx, popup, 'simulated consent page', axeResults)

    await decide(popup, 'Allow')
    await waitFor(slack, 'data-state', 'connected')
    expect(await textOf(slack.locator('.rpc-row-status'))).toMatch(/^Connected since /)
    expect(await textOf(liveRegion(slack))).toBe('Slack connected.')
    const id = await expectConnectedOnce(page, 'slack')
    expect(authConfigsOf(user, 'slack').map(config => config.id)).toEqual([id])
    await ev.shot(page, 'connected')
    await checkAxe(ctx, page, 'playground: connected', axeResults)

    // What the run measured, kept in the report: callback page → onConnected, and the flow's backend requests.
    const start = marks.find(mark => mark.name === 'callback-start')
    const connected = marks.find(mark => mark.name === 'connected-log')
    const flowRequests = api.slice(apiBefore).filter(request => !connected || request.at <= connected.at + 5)
    const byRoute = (method: string, pattern: RegExp) => flowRequests.filter(request => request.method === method && pattern.test(request.path)).length
    metaOf(ctx).metrics = {
      callbackToConnectedMs: start && connected ? Math.round(connected.at - start.at) : null,
      callbackMessageToConnectedMs: (() => {
        const message = marks.find(mark => mark.name === 'message')
        return message && connected ? Math.round(connected.at - message.at) : null
      })(),
      connectRequestCount: flowRequests.length,
      connectRequests: {
        createSession: byRoute('POST', /\/setup-sessions$/),
        getSession: byRoute('GET', /\/setup-sessions\/pas_/),
        listConnections: byRoute('GET', /\/connections$/),
      },
      requestsAfterConnectedWithin2_5s: api.slice(apiBefore).length - flowRequests.length,
      marks: marks.map(mark => ({ name: mark.name, path: mark.path, at: Math.round(mark.at) })),
      note: 'connectRequestCount counts /api/connect/* requests from the Connect click until the onConnected line appeared (create-session was slowed by 1.5 s to show the placeholder).',
    }
    expect(start, 'the callback page loaded and reported').toBeDefined()
    expect(connected).toBeDefined()
  })

  test('deny: failed with a message and Try again, which then connects', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('deny')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    const { popup } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await decide(popup, 'Deny')
    await ev.shot(popup, 'popup after deny')
    await waitFor(slack, 'data-state', 'error')
    const status = await textOf(slack.locator('.rpc-row-status'))
    expect(status).toMatch(/^Slack was not connected: .+/)
    expect(await textOf(liveRegion(slack))).toBe(status)
    const retry = slack.getByRole('button', { name: 'Try again to connect Slack (opens in a new window)' })
    await expect.poll(() => retry.isVisible()).toBe(true)
    expect(await eventLog(page)).toContain('onError(session_failed) slack')
    expect(await connectedLog(page).count()).toBe(0)
    expect(authConfigsOf(user, 'slack')).toEqual([])
    await ev.shot(page, 'failed with try again')
    await checkAxe(ctx, page, 'playground: failed (denied)', axeResults)

    const second = await startConnect(page, () => retry.click())
    ev.watch(second.popup, 'popup2')
    await waitForConsent(second.popup)
    await decide(second.popup, 'Allow')
    await waitFor(slack, 'data-state', 'connected')
    await expectConnectedOnce(page, 'slack')
    await ev.shot(page, 'connected after retry')
  })

  test('revoked: the auth config is archived as the user allows; a plain failure, nothing connected or stored', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('revoked')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    const { popup, sessionId } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    // As if removed in Metorial's dashboard the moment it was made: the session completes, its config is archived.
    sim.archiveAtCompletion(sessionId)
    await decide(popup, 'Allow')
    await waitFor(slack, 'data-state', 'error')
    const status = await textOf(slack.locator('.rpc-row-status'))
    expect(status).toMatch(/^Slack was not connected: .*Please connect again/)
    expect(status).not.toMatch(/metorial|auth.?config|archiv/i)
    expect(await eventLog(page)).toContain('onError(session_failed) slack')
    expect(await connectedLog(page).count()).toBe(0)
    expect(sim.getSession(sessionId)).toMatchObject({ status: 'completed', auth_config: { status: 'archived' } })
    await ev.shot(page, 'failed after revoked config')
    // Nothing was stored for the user: a reload still shows Slack as not connected.
    await page.reload()
    await waitFor(list(page), 'data-state', 'ready')
    await expect.poll(() => slack.getByRole('button', { name: /^Connect Slack/ }).isVisible()).toBe(true)
  })

  test('expire: a short-lived session ends expired, with Try again', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('expire')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    sim.setLifetime(3000)
    let popup: Page
    try {
      ;({ popup } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).click()))
    } finally {
      sim.setLifetime(LIFETIME)
    }
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await ev.shot(popup, 'consent page before expiry')
    await waitFor(slack, 'data-state', 'error', 20_000)
    expect(await textOf(slack.locator('.rpc-row-status'))).toBe('The Slack sign-in expired.')
    expect(await textOf(liveRegion(slack))).toBe('The Slack sign-in expired.')
    expect(await slack.getByRole('button', { name: /^Try again to connect Slack/ }).isVisible()).toBe(true)
    expect(await eventLog(page)).toContain('onError(session_expired) slack')
    expect(await connectedLog(page).count()).toBe(0)
    await ev.shot(page, 'expired')
    if (!popup.isClosed()) {
      // The consent page itself refuses the expired link.
      await popup.reload()
      expect(await popup.locator('h1').textContent()).toBe('This link has expired')
      await ev.shot(popup, 'consent page after expiry')
    }
    await checkAxe(ctx, page, 'playground: expired', axeResults)
  })

  test('the user closes the popup: cancelled, no connection', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('close')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    const { popup } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await ev.shot(page, 'waiting')
    await popup.close()
    await ev.shot(page, 'popup just closed')
    await waitFor(slack, 'data-state', 'disconnected', 15_000)
    expect(await textOf(slack.locator('.rpc-row-status'))).toBe('Not connected')
    expect(await textOf(liveRegion(slack))).toBe('Slack connection cancelled.')
    expect(await slack.getByRole('button', { name: 'Connect Slack (opens in a new window)' }).isVisible()).toBe(true)
    const events = await eventLog(page)
    expect(events).toContain('slack: popup_closed')
    expect(events.some(event => event.includes('→ cancelled'))).toBe(true)
    await sleep(1500)
    expect(await connectedLog(page).count()).toBe(0)
    expect(authConfigsOf(user)).toEqual([])
    await ev.shot(page, 'cancelled')
    await checkAxe(ctx, page, 'playground: cancelled', axeResults)
  })

  test('a popup that stays open while the backend completes: completed, no false close', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('open-popup')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    const { popup, sessionId } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    // Longer than the close grace (2 s): an open popup must not be taken for a closed one.
    await sleep(3000)
    expect(await slack.getAttribute('data-state')).toBe('connecting')
    await ev.shot(popup, 'consent page still open')
    await ev.shot(page, 'still waiting after the close grace')
    const authConfigId = sim.complete(sessionId)
    await waitFor(slack, 'data-state', 'connected', 15_000)
    expect(await expectConnectedOnce(page, 'slack')).toBe(authConfigId)
    const events = await eventLog(page)
    expect(events.filter(event => event.includes('cancelled'))).toEqual([])
    expect(events).not.toContain('slack: popup_closed')
    ev.log.push(`popup after completion: ${popup.isClosed() ? 'closed by the flow' : 'still open'}`)
    await ev.shot(page, 'connected while popup open')
  })

  test('popup blocked: Continue in a new tab completes', async ctx => {
    // Playwright turns popup blocking off by default; this browser keeps Chromium's blocker.
    const strict = await launchChromium({ ignoreDefaultArgs: ['--disable-popup-blocking'] })
    try {
      const ev = await Evidence.start(ctx, strict)
      const user = uniqueUser('blocked')
      const page = await openApp(ev, playground.url, user)
      const slack = row(page, 'slack')
      const popups: Page[] = []
      page.on('popup', popup => popups.push(popup))
      // A click without user activation: Chromium refuses window.open. Playwright's own evaluate
      // runs as a user gesture, so go through CDP, once any activation from loading has expired.
      const cdp = await ev.context.newCDPSession(page)
      const run = async (expression: string) =>
        ((await cdp.send('Runtime.evaluate', { expression, userGesture: false, returnByValue: true })) as { result: { value: unknown } }).result.value
      await expect.poll(() => run('navigator.userActivation.isActive'), { timeout: 10_000 }).toBe(false)
      await run(`document.querySelector('li[data-provider="slack"] button[data-status]').click()`)
      const link = slack.getByRole('link', { name: 'Continue in a new tab' })
      await link.waitFor({ timeout: 15_000 })
      expect(popups).toEqual([])
      expect(await textOf(slack.locator('.rpc-popup-blocked'))).toBe('Your browser blocked the Slack window. Continue in a new tab')
      expect(await textOf(liveRegion(slack))).toBe('Your browser blocked the Slack window.')
      expect(await eventLog(page)).toContain('slack: popup_blocked')
      await ev.shot(page, 'popup blocked')
      await checkAxe(ctx, page, 'playground: popup blocked', axeResults)

      const tab = page.waitForEvent('popup')
      await link.click()
      const opened = await tab
      ev.watch(opened, 'new tab')
      await waitForConsent(opened)
      await ev.shot(opened, 'consent in new tab')
      await decide(opened, 'Allow')
      await waitFor(slack, 'data-state', 'connected')
      await expectConnectedOnce(page, 'slack')
      await ev.shot(page, 'connected')
      } finally {
      await strict.close()
    }
  })

  test('redirect mode: round trip back to the start page, connected', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('redirect')
    const page = await openApp(ev, playground.url, user, 'redirect')
    const slack = row(page, 'slack')
    const popups: Page[] = []
    page.on('popup', popup => popups.push(popup))
    await ev.shot(page, 'redirect mode start')
    await slack.getByRole('button', { name: /^Connect Slack/ }).click()
    await waitForConsent(page)
    await ev.shot(page, 'consent page (same tab)')
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.waitForURL(url => url.pathname === '/' && url.searchParams.get('mode') === 'redirect', { timeout: 15_000 })
    await waitFor(row(page, 'slack'), 'data-state', 'connected')
    await expectConnectedOnce(page, 'slack')
    const url = new URL(page.url())
    expect(url.searchParams.has('connect_state')).toBe(false)
    expect(popups).toEqual([])
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter(key => key.startsWith('react-provider-connect:redirect')))).toEqual([])
    await ev.shot(page, 'back and connected')
    await checkAxe(ctx, page, 'playground: connected after redirect', axeResults)
  })

  test('reconnect, and disconnect through the dialog (Cancel keeps, Disconnect removes, focus returns)', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('reconnect')
    const firstId = await playground.seedConnection(user, { providerId: 'github', name: 'octocat' })
    const page = await openApp(ev, playground.url, user)
    const github = row(page, 'github')
    await waitFor(github, 'data-state', 'connected')
    await ev.shot(page, 'github connected')

    const { popup } = await startConnect(page, () => github.getByRole('button', { name: 'Reconnect GitHub (opens in a new window)' }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await decide(popup, 'Allow')
    await expect.poll(() => textOf(github.locator('.rpc-row-status'))).toBe('2 accounts connected')
    const secondId = await expectConnectedOnce(page, 'github')
    expect(secondId).not.toBe(firstId)
    await expect.poll(() => github.locator('.rpc-row-connection').count()).toBe(2)
    await ev.shot(page, 'reconnected two accounts')

    const disconnectFirst = github.getByRole('button', { name: 'Disconnect GitHub (octocat)' })
    await disconnectFirst.click()
    const dialog = page.getByRole('dialog', { name: 'Disconnect GitHub?' })
    await dialog.waitFor()
    await ev.shot(page, 'dialog open')
    await checkAxe(ctx, page, 'playground: disconnect dialog open', axeResults)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => disconnectFirst.evaluate(button => button === document.activeElement)).toBe(true)
    expect(await github.locator('.rpc-row-connection').count()).toBe(2)
    expect(authConfigsOf(user, 'github')).toHaveLength(2)

    await disconnectFirst.click()
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Disconnect' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => github.locator('.rpc-row-connection').count()).toBe(0)
    await expect.poll(() => textOf(github.locator('.rpc-row-status'))).toMatch(/^Connected since /)
    await expect.poll(() => page.locator('.rpc-connections > [role="status"]').textContent()).toBe('GitHub disconnected.')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Reconnect GitHub (opens in a new window)')
    expect(authConfigsOf(user, 'github').map(config => config.id)).toEqual([secondId])
    expect(await eventLog(page)).toContain(`onDisconnected(${firstId}) github`)
    await ev.shot(page, 'one left')

    await github.getByRole('button', { name: 'Disconnect GitHub' }).click()
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Disconnect' }).click()
    await waitFor(github, 'data-state', 'disconnected')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Connect GitHub (opens in a new window)')
    expect(authConfigsOf(user, 'github')).toEqual([])
    await ev.shot(page, 'all disconnected')
  })

  test('backend down or answering garbage: a clear error, the page keeps working, retry succeeds', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('backend')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    const connect = () => slack.locator('button[data-status]').click()

    // 1. The app backend is down when the session is created.
    await page.route('**/api/connect/setup-sessions', route => route.abort('connectionrefused'))
    const popupEvent = page.waitForEvent('popup')
    await connect()
    const placeholder = await popupEvent
    ev.watch(placeholder, 'placeholder popup')
    await waitFor(slack, 'data-state', 'error')
    const downText = await textOf(slack.locator('.rpc-row-status'))
    expect(downText).toMatch(/^Could not connect Slack: .+/)
    expect(await textOf(liveRegion(slack))).toBe(downText)
    await ev.shot(page, 'backend down at create')
    await expect.poll(() => placeholder.isClosed(), { message: 'the "Connecting…" placeholder popup is closed when create fails' }).toBe(true)
    await page.unroute('**/api/connect/setup-sessions')
    // The rest of the page still works meanwhile.
    await page.locator('details.pg-details > summary').click()
    await checkAxe(ctx, page, 'playground: error (backend down)', axeResults)

    // 2. Retry; mid-flow the backend answers garbage (HTML with 200): invalid_response, shown at once.
    const { popup } = await startConnect(page, () => slack.getByRole('button', { name: /^Try again to connect Slack/ }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await page.route('**/api/connect/setup-sessions/pas_*', route =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<html><body>Gateway says hi</body></html>' }),
    )
    await page.bringToFront()
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    await waitFor(slack, 'data-state', 'error', 20_000)
    const garbageText = await textOf(slack.locator('.rpc-row-status'))
    expect(garbageText).toMatch(/^Could not connect Slack: .+/)
    await ev.shot(page, 'garbage mid-flow')
    await page.unroute('**/api/connect/setup-sessions/pas_*')

    // 3. Retry; Metorial fails twice mid-flow (500, then an HTML proxy page): the flow retries and completes.
    const third = await startConnect(page, () => slack.getByRole('button', { name: /^Try again to connect Slack/ }).click())
    ev.watch(third.popup, 'popup3')
    await waitForConsent(third.popup)
    sim.failNext('get-session', { status: 500 })
    sim.failNext('get-session', { status: 502, nonJson: true })
    await sleep(2500)
    expect(await slack.getAttribute('data-state')).toBe('connecting')
    await decide(third.popup, 'Allow')
    await waitFor(slack, 'data-state', 'connected', 20_000)
    await expectConnectedOnce(page, 'slack')
    const events = await eventLog(page)
    expect(events.filter(event => event === 'onError(network) slack' || event === 'onError(invalid_response) slack')).toHaveLength(2)
    await ev.shot(page, 'connected after retry')
    metaOf(ctx).notes = [`backend down at create: "${downText}"`, `garbage mid-flow: "${garbageText}"`]
  })

  test('two tabs: connect in one, the other shows it', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('tabs')
    const first = await openApp(ev, playground.url, user)
    const second = await openApp(ev, playground.url, user)
    await waitFor(row(second, 'notion'), 'data-state', 'disconnected')
    await ev.shot(second, 'tab two before')
    await first.bringToFront()
    const { popup } = await startConnect(first, () => row(first, 'notion').getByRole('button', { name: /^Connect Notion/ }).click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await decide(popup, 'Allow')
    await waitFor(row(first, 'notion'), 'data-state', 'connected')
    // No reload and no focus on the second tab: the "connections changed" broadcast revalidates it.
    await waitFor(row(second, 'notion'), 'data-state', 'connected', 10_000)
    expect(await connectedLog(second).count()).toBe(0)
    await ev.shot(first, 'tab one connected')
    await ev.shot(second, 'tab two shows it')
  })

  test('the standalone ProviderConnectButton connects Linear', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('button')
    const page = await openApp(ev, playground.url, user)
    const button = page.locator('button.rpc-button[data-provider="linear"]')
    expect(await button.getAttribute('data-status')).toBe('idle')
    const { popup } = await startConnect(page, () => button.click())
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await waitFor(button, 'data-status', 'pending')
    expect(await button.getAttribute('aria-busy')).toBe('true')
    await ev.shot(page, 'button pending')
    await decide(popup, 'Allow')
    await waitFor(button, 'data-status', 'completed')
    await expect.poll(() => connectedLog(page).allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^onConnected\(pac_\w+\) linear \(button\)$/)]))
    await sleep(2000)
    // The button and the list's Linear row follow the same session: each reports it once.
    const lines = await connectedLog(page).allTextContents()
    expect(lines.filter(line => line.endsWith('linear (button)'))).toHaveLength(1)
    expect(authConfigsOf(user, 'linear')).toHaveLength(1)
    await ev.shot(page, 'button completed')
    await checkAxe(ctx, page, 'playground: standalone button completed', axeResults)
  })

  test('the legacy row: api oauth-sessions, pending → opened → completed, the soas_ id reaches onConnected', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('legacy')
    const page = await openApp(ev, playground.url, user)
    const button = page.locator('button.rpc-button[data-provider="notion"]')
    const created = page.waitForResponse(response => new URL(response.url()).pathname === '/api/connect-legacy/setup-sessions' && response.request().method() === 'POST')
    const popupEvent = page.waitForEvent('popup')
    await button.click()
    const session = (await (await created).json()) as { id: string }
    expect(session.id).toMatch(/^soas_/)
    const popup = await popupEvent
    ev.watch(popup, 'legacy popup')
    await popup.waitForURL(/\/metorial\/consent\/soas_/, { timeout: 15_000 })
    await popup.getByRole('button', { name: 'Allow' }).waitFor()
    expect(sim.oauthSessions.get(session.id)).toMatchObject({ status: 'opened' })
    await waitFor(button, 'data-status', 'pending')
    await ev.shot(popup, 'legacy consent page')
    await decide(popup, 'Allow')
    await waitFor(button, 'data-status', 'completed')
    await expect.poll(() => connectedLog(page).allTextContents()).toEqual(expect.arrayContaining([`onConnected(${session.id}) notion (legacy)`]))
    expect((await playground.store.list(user)).map(item => item.id)).toContain(session.id)
    await ev.shot(page, 'legacy connected')
  })

  test('a BYO tenant (?tenant=acme): the consent page shows Acme as the app; without it, the default app', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('byo')
    const page = await openApp(ev, playground.url, user)
    await page.goto(`${playground.url}/?tenant=acme`)
    await expect.poll(() => page.getByTestId('current-tenant').textContent()).toBe('acme')
    await waitFor(list(page), 'data-state', 'ready')
    const slack = row(page, 'slack')
    const { popup } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).click())
    ev.watch(popup, 'acme popup')
    await waitForConsent(popup)
    expect(await popup.locator('strong.app').textContent()).toBe('Acme')
    await ev.shot(popup, 'consent page of the Acme app')
    await decide(popup, 'Allow')
    await waitFor(slack, 'data-state', 'connected')

    await page.goto(`${playground.url}/?tenant=`)
    await expect.poll(() => page.getByTestId('current-tenant').textContent()).toBe('none')
    await waitFor(list(page), 'data-state', 'ready')
    const github = row(page, 'github')
    const second = await startConnect(page, () => github.getByRole('button', { name: /^Connect GitHub/ }).click())
    ev.watch(second.popup, 'default popup')
    await waitForConsent(second.popup)
    expect(await second.popup.locator('body').textContent()).toContain('the default app')
    expect(await second.popup.locator('strong.app').count()).toBe(0)
    await decide(second.popup, 'Deny')
  })

  test('keyboard only: connect and disconnect with Tab, Enter and Escape', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('keyboard')
    const page = await openApp(ev, playground.url, user)
    const slack = row(page, 'slack')
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '')
    // The catalogue's search box and category chips come before the rows.
    async function tabTo(target: Page, name: string, max = 60): Promise<void> {
      const seen: string[] = []
      for (let i = 0; i < max; i++) {
        await target.keyboard.press('Tab')
        const current = await target.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '')
        seen.push(current)
        if (current === name) return
      }
      throw new Error(`Tab never reached "${name}"; saw: ${seen.join(' | ')}`)
    }
    await tabTo(page, 'Connect Slack (opens in a new window)')
    await ev.shot(page, 'focus on connect slack')
    const { popup } = await startConnect(page, () => page.keyboard.press('Enter'))
    ev.watch(popup, 'popup')
    await waitForConsent(popup)
    await expect.poll(focusedName).toMatch(/^Waiting for Slack/)
    await tabTo(popup, 'Allow', 10)
    await ev.shot(popup, 'focus on allow')
    const closed = popup.waitForEvent('close')
    await popup.keyboard.press('Enter')
    await closed
    await waitFor(slack, 'data-state', 'connected')
    await expectConnectedOnce(page, 'slack')
    await expect.poll(focusedName).toBe('Reconnect Slack (opens in a new window)')

    await tabTo(page, 'Disconnect Slack', 5)
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Disconnect Slack?' })
    await dialog.waitFor()
    await expect.poll(focusedName).toBe('Cancel')
    await ev.shot(page, 'dialog focus on cancel')
    // Radix's modal: the page behind is hidden from assistive technology and does not scroll.
    expect(await dialog.getAttribute('aria-modal')).toBe('true')
    expect(await page.locator('.pg-header').evaluate(node => node.closest('[aria-hidden="true"]') !== null)).toBe(true)
    expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe('hidden')
    // Tab and Shift+Tab stay inside.
    await page.keyboard.press('Tab')
    await expect.poll(focusedName).toBe('Disconnect')
    await page.keyboard.press('Tab')
    await expect.poll(focusedName).toBe('Cancel')
    await page.keyboard.press('Shift+Tab')
    await expect.poll(focusedName).toBe('Disconnect')
    await page.keyboard.press('Shift+Tab')
    await expect.poll(focusedName).toBe('Cancel')
    // A click on the overlay, outside the panel, cancels.
    await page.mouse.click(5, 5)
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(focusedName).toBe('Disconnect Slack')
    expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).not.toBe('hidden')
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(focusedName).toBe('Disconnect Slack')
    expect(await slack.getAttribute('data-state')).toBe('connected')

    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.press('Tab')
    await expect.poll(focusedName).toBe('Disconnect')
    await page.keyboard.press('Enter')
    await waitFor(slack, 'data-state', 'disconnected')
    await expect.poll(focusedName).toBe('Connect Slack (opens in a new window)')
    await expect.poll(() => page.locator('.rpc-connections > [role="status"]').textContent()).toBe('Slack disconnected.')
    expect(authConfigsOf(user, 'slack')).toEqual([])
    await ev.shot(page, 'disconnected by keyboard')
  })

  test('the catalogue: forty providers with logos from the server, connected first, searched by keyboard', async ctx => {
    const ev = await Evidence.start(ctx, browser)
    const user = uniqueUser('catalogue')
    await playground.seedConnection(user, { providerId: 'hubspot', name: 'Acme sales' })
    const page = await openApp(ev, playground.url, user)
    const rows = page.locator('li[data-provider]')
    expect(await rows.count()).toBe(40)
    // Connected first; the rest in the instance's order.
    expect(await rows.first().getAttribute('data-provider')).toBe('hubspot')
    expect(await textOf(row(page, 'hubspot').locator('.rpc-row-connection-label'))).toBe('Acme sales')
    // Logos: sized before they load (no layout shift), lazy, decorative; a monogram where there is none.
    const logo = row(page, 'slack').locator('img')
    expect(await logo.evaluate(img => [img.getAttribute('width'), img.getAttribute('height'), img.getAttribute('loading'), img.getAttribute('alt')])).toEqual(['36', '36', 'lazy', ''])
    await expect.poll(() => logo.evaluate(img => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true)
    expect(await row(page, 'calendly').locator('img').count()).toBe(0)
    expect(await textOf(row(page, 'calendly').locator('.rpc-row-monogram'))).toBe('C')
    expect(await row(page, 'exa').getAttribute('data-state')).toBe('available')
    await checkAxe(ctx, page, 'playground: catalogue', axeResults)

    // Keyboard only: Tab to the search box, type, hear the count, Escape clears.
    const search = page.getByRole('searchbox', { name: 'Search integrations' })
    for (let i = 0; i < 20 && !(await search.evaluate(node => node === document.activeElement)); i++) await page.keyboard.press('Tab')
    expect(await search.evaluate(node => node === document.activeElement)).toBe(true)
    await page.keyboard.type('calendar')
    await expect.poll(() => rows.evaluateAll(items => items.map(item => item.getAttribute('data-provider')))).toEqual(['google-calendar', 'outlook', 'zoom', 'calendly'])
    const announced = page.locator('[data-search-results]')
    expect(await announced.getAttribute('aria-live')).toBe('polite')
    await expect.poll(() => announced.textContent()).toBe('4 integrations found')
    await ev.shot(page, 'catalogue searched by keyboard')
    await page.keyboard.press('Escape')
    await expect.poll(() => rows.count()).toBe(40)
    // A category chip, by keyboard: Tab to it, Space picks it.
    const crm = page.getByRole('button', { name: 'CRM', exact: true })
    await crm.focus()
    await page.keyboard.press('Space')
    expect(await crm.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => rows.evaluateAll(items => items.map(item => item.getAttribute('data-provider')))).toEqual(['hubspot', 'salesforce', 'pipedrive'])
    await checkAxe(ctx, page, 'playground: catalogue filtered by category', axeResults)
    // The route is cached on the server and in the browser.
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/connect/providers')
      return { status: response.status, cache: response.headers.get('cache-control'), etag: response.headers.get('etag') }
    })
    expect(answer.status).toBe(200)
    expect(answer.cache).toMatch(/^private, max-age=\d+$/)
    expect(answer.etag).toMatch(/^W\/"/)
  })

  test('accessibility: every playground state above has no axe WCAG 2.2 A/AA violations', () => {
    expect(axeResults.length).toBeGreaterThanOrEqual(10)
    expectAccessible(axeResults)
  })
})
