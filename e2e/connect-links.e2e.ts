import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import type { MetorialSimulation } from '../src/simulation/index.js'
import { launchBrowser } from './support/driver.js'
import type { UserBrowser, UserPage } from './support/driver.js'
import { uniqueUser } from './support/playground.js'
import { attr, axeViolations, named, openApp, pathSession, row, text, texts, until } from './support/user-paths.js'

/**
 * Connect links in a browser: a link the app's server code made (as an agent would, for a chat) is
 * opened in a browser with no session of the app, pressed, allowed on the consent page, and ends on
 * the link's done page; the server's `waitForConnection` resolves, and the app lists the account.
 * Then the playground's "Send me a link", opened in a browser signed in as someone else.
 */
let playground: Playground
let sim: MetorialSimulation
let browser: UserBrowser
let dataDir = ''

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rpc-e2e-links-'))
  playground = await startPlayground({ port: 0, host: '127.0.0.1', dataDir, logger: { warn() {}, error() {} } })
  sim = playground.simulation as MetorialSimulation
  browser = await launchBrowser('chromium')
  // Vite pre-bundles on the first visit and may reload the page once: done before any path.
  const warm = await browser.newSession()
  await openApp(warm, playground.url, 'warm-up')
  await warm.close()
})

afterAll(async () => {
  await browser?.close()
  await playground?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

const newSession = (testName: string) => pathSession(browser, ['connect-links'], testName)

const creates = () => sim.requests.filter(request => request.method === 'POST' && request.path === '/provider-setup-sessions').length

/** On a link's page: press its one button, Allow on the consent page (the same tab), back on the done page. */
async function pressAndAllow(page: UserPage, provider: string): Promise<void> {
  await page.click(await named(page, `Connect ${provider}`))
  await until(async () => page.url(), url => url.includes('/metorial/consent/pas_'), 'the consent page, in the same tab')
  await page.click(await named(page, 'Allow'))
  await until(() => text(page, 'h1'), heading => heading === `${provider} is connected`, 'the done page')
}

describe('connect links in chromium', () => {
  test('made on the server, opened with no app session: Allow, the done page says connected, waitForConnection resolves, the app lists it', async ({ task }) => {
    const user = uniqueUser('link')
    const link = await playground.connect.createConnectLink({ userId: user, providerId: 'slack' })
    const waiting = playground.connect.waitForConnection({ userId: user, providerId: 'slack', timeoutMs: 60_000 })
    const before = creates()

    const session = await newSession(task.name)
    const page = await session.newPage()
    await page.goto(link.url)
    expect(await text(page, 'h1')).toBe('Connect Slack')
    expect(await texts(page, 'button')).toEqual(['Connect Slack'])
    expect(await page.evaluate<number>('document.scripts.length')).toBe(0)
    // Seeing the page (as a chat's preview does) made nothing.
    await page.goto(link.url)
    expect(creates()).toBe(before)

    await pressAndAllow(page, 'Slack')
    expect(creates()).toBe(before + 1)
    expect(await text(page, 'main')).toContain('You can close this tab.')
    expect(new URL(await page.url()).pathname).toMatch(/\/api\/connect\/links\/[A-Za-z0-9_-]{43}\/done$/)

    const connection = await waiting
    expect(connection).toMatchObject({ providerId: 'slack', status: 'active', providerAuthConfigId: connection.id })
    expect(connection.id).toMatch(/^pac_/)

    // The link is spent: opened again, it says so.
    await page.goto(link.url)
    expect(await text(page, 'h1')).toBe('This link was already used')

    // The user, in the app: the account is there.
    const app = await openApp(session, playground.url, user)
    await until(() => attr(app, row('slack'), 'data-state'), state => state === 'connected', 'Slack’s row connected')
    await session.close()
  })

  test('the playground’s “Send me a link”: the link and the wait on the page; pressed from a browser signed in as someone else, it connects the page’s user', async ({ task }) => {
    const user = uniqueUser('send')
    const session = await newSession(task.name)
    const page = await openApp(session, playground.url, user)
    await page.click(await named(page, 'Send me a link to connect Slack', row('slack')))
    const url = await until(() => attr(page, '[data-testid="connect-link"]', 'href'), href => href !== null, 'the link on the page')
    expect(url).toMatch(new RegExp(`^${playground.url}/api/connect/links/[A-Za-z0-9_-]{43}$`))
    expect(await text(page, `${row('slack')} [role="status"]`)).toMatch(/^Waiting for you to connect Slack from the link/)
    expect(await axeViolations(page, 'the playground waiting for a link')).toEqual([])

    const other = await newSession(`${task.name} other`)
    const mallory = uniqueUser('mallory')
    const otherPage = await openApp(other, playground.url, mallory)
    await otherPage.goto(url as string)
    await pressAndAllow(otherPage, 'Slack')

    await until(() => text(page, `${row('slack')} [role="status"]`), value => value.startsWith('Connected Slack from the link'), 'the page heard the connection')
    await until(() => attr(page, row('slack'), 'data-state'), state => state === 'connected', 'Slack’s row connected')
    // Back in the app, that browser's user (mallory) has nothing.
    await otherPage.goto(`${playground.url}/`)
    const theirs = await otherPage.evaluate<{ items: unknown[] }>(`fetch('/api/connect/connections').then(response => response.json())`)
    expect(theirs.items, 'the browser’s own user got nothing').toEqual([])
    await other.close()
    await session.close()
  })
})
