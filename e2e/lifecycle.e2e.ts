import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import type { MetorialSimulation } from '../src/simulation/index.js'
import { launchBrowser } from './support/driver.js'
import type { BrowserName, UserBrowser, UserPage, UserSession } from './support/driver.js'
import { uniqueUser } from './support/playground.js'
import { attr, axeViolations, consentWindow, focused, focusedField, named, openApp, pathSession, row, tabTo, text, texts, until, windowAt } from './support/user-paths.js'

/**
 * A connection's life after the connect, in Chromium and Firefox on the playground: connect Slack,
 * rename it inline by keyboard, archive its auth config in the simulated Metorial dashboard (the
 * page's own link), come back to the app: the list shows the account revoked; Reconnect, Allow:
 * one Slack account again, with the label it had and a new auth config id.
 *
 * What the page is assumed to show, from the helpers' contract (docs: "A connection's life after
 * the connect" in DESIGN.md), each read in one place below: a revoked account's row says
 * "reconnect to use it again" (or its `data-state` is `revoked`); the row's primary button keeps
 * the name "Reconnect Slack (opens in a new window)"; Rename is a button whose name starts with
 * "Rename", which puts focus in a labelled text field, Enter saves and focus returns to it.
 */
const BROWSERS: BrowserName[] = ['chromium', 'firefox']
/** Short, so a list right after the archive re-checks with Metorial; the default (60 s) is the playground's. */
const SYNC_INTERVAL_MS = 1000

let playground: Playground
let sim: MetorialSimulation
let dataDir = ''

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rpc-e2e-lifecycle-'))
  playground = await startPlayground({ port: 0, host: '127.0.0.1', dataDir, syncIntervalMs: SYNC_INTERVAL_MS, logger: { warn() {}, error() {} } })
  sim = playground.simulation as MetorialSimulation
})

afterAll(async () => {
  await playground?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

interface WireConnection {
  id: string
  providerId: string
  status: string
  name?: string
  revokedAt?: string
}

/** The user's connections as the app's server lists them (`GET /api/connect/connections`), read from the page. */
function connections(page: UserPage, providerId: string): Promise<WireConnection[]> {
  return page
    .evaluate<{ items: WireConnection[] }>(`fetch('/api/connect/connections').then(response => response.json())`)
    .then(body => body.items.filter(item => item.providerId === providerId))
}

const state = (page: UserPage, providerId: string) => attr(page, row(providerId), 'data-state')

/** The contract's words for a revoked account, or a `revoked` state on the row or on the account inside it. */
async function showsRevoked(page: UserPage, providerId: string): Promise<boolean> {
  const words = /reconnect to use it again/i.test(await text(page, row(providerId)))
  const marked = await page.evaluate<boolean>(
    `Boolean(document.querySelector(${JSON.stringify(`${row(providerId)}[data-state="revoked"], ${row(providerId)} [data-state="revoked"]`)}))`,
  )
  return words || marked
}

/** Connects Slack from its row (popup, Allow) and returns the auth config id the server stored. */
async function connectSlack(session: UserSession, page: UserPage): Promise<string> {
  await page.click(await named(page, 'Connect Slack (opens in a new window)', row('slack')))
  const popup = await consentWindow(session, page)
  await popup.click(await named(popup, 'Allow'))
  await until(() => state(page, 'slack'), value => value === 'connected', 'Slack’s row connected')
  const [connected] = await until(() => connections(page, 'slack'), items => items.length === 1, 'one Slack connection on the server')
  expect(connected).toMatchObject({ status: 'active' })
  return (connected as WireConnection).id
}

/** Follows the page's link to the simulated dashboard (a new tab) and returns that tab. */
async function openDashboard(session: UserSession, page: UserPage): Promise<UserPage> {
  await page.click(await named(page, /^Metorial dashboard \(simulated\)/))
  return windowAt(session, page, '/metorial/dashboard', /^Archive /)
}

const dashboardRow = (id: string) => `tr[data-auth-config-id="${id}"]`

describe.for(BROWSERS)('a connection’s life in %s', name => {
  let browser: UserBrowser

  beforeAll(async () => {
    browser = await launchBrowser(name)
    // Vite pre-bundles on the first visit and may reload the page once: done before any path.
    const warm = await browser.newSession()
    await openApp(warm, playground.url, 'warm-up')
    await warm.close()
  })

  afterAll(async () => {
    await browser?.close()
  })

  const newSession = (testName: string) => pathSession(browser, ['lifecycle', name], testName)

  test('the simulated dashboard, from the playground’s link: the user’s account listed without secrets, Archive, then Delete', async ({ task }) => {
    const session = await newSession(task.name)
    const user = uniqueUser(`${name}-dashboard`)
    const page = await openApp(session, playground.url, user)
    const id = await connectSlack(session, page)

    const dashboard = await openDashboard(session, page)
    expect(await texts(dashboard, 'thead th')).toEqual(['Auth config', 'Provider', 'Name', 'Status', 'Created', 'Metadata', 'Actions'])
    expect(await texts(dashboard, `${dashboardRow(id)} > *`)).toEqual([id, 'Slack', 'Slack account', 'active', expect.stringMatching(/ UTC$/), expect.stringContaining(user), 'Archive Delete'])
    expect(await dashboard.evaluate<string>('document.body.innerHTML')).not.toMatch(/tok_|ref_|pas_secret_|metorial_sk_/)
    expect(await axeViolations(dashboard, 'dashboard')).toEqual([])

    await dashboard.click(await named(dashboard, `Archive Slack account (${id})`, dashboardRow(id)))
    await until(() => attr(dashboard, dashboardRow(id), 'data-status'), value => value === 'archived', 'the row archived')
    // The driver may report the address a moment after the page shows (Firefox over BiDi): read until it settles.
    await until(async () => new URL(await dashboard.url()).search, search => search === `?done=archived&id=${id}`, 'the dashboard’s address after Archive', 5_000)
    expect(await text(dashboard, '[role="status"]')).toBe(`Archived Slack account (${id}): still readable by id, listed with status archived.`)
    expect(await named(dashboard, /^Archive /, dashboardRow(id), 500).catch(() => null)).toBeNull()
    expect(sim.listAuthConfigs().find(config => config.id === id)).toMatchObject({ status: 'archived' })
    expect(await axeViolations(dashboard, 'dashboard after archive')).toEqual([])

    await dashboard.click(await named(dashboard, `Delete Slack account (${id})`, dashboardRow(id)))
    await until(() => dashboard.evaluate<boolean>(`document.querySelector(${JSON.stringify(dashboardRow(id))}) === null && new URLSearchParams(location.search).get('done') === 'deleted'`), gone => gone, 'the row gone')
    expect(await text(dashboard, '[role="status"]')).toMatch(/^Deleted Slack account \(pac_\w+\): no list shows it any more/)
    expect(sim.listAuthConfigs().find(config => config.id === id)).toMatchObject({ status: 'deleted' })
    await session.close()
  })

  test('archived in the dashboard → the list shows it revoked → Reconnect → one row, the old label, a new id', async ({ task }) => {
    const session = await newSession(task.name)
    const user = uniqueUser(`${name}-lifecycle`)
    const page = await openApp(session, playground.url, user)
    const firstId = await connectSlack(session, page)

    // Rename inline, keyboard only.
    // Focus is on Reconnect after the connect; Rename is near it, before or after. The user's only
    // account is Slack's, so the nearest Rename is its.
    const rename = await tabTo(page, /^Rename\b/, 6).catch(() => tabTo(page, /^Rename\b/, 12, 'Shift+Tab'))
    await page.press('Enter')
    const field = await until(() => focusedField(page), found => found !== null, 'focus in the name field')
    expect(field?.name, 'the name field is labelled').not.toBe('')
    await page.press('Control+A')
    await page.type('Work Slack')
    await until(() => focusedField(page), found => found?.value === 'Work Slack', 'the field holds the new name alone')
    await page.press('Enter')
    await until(() => connections(page, 'slack'), items => items[0]?.name === 'Work Slack', 'the server keeps the new name')
    await until(() => text(page, row('slack')), value => value.includes('Work Slack'), 'the row shows the new name')
    // Its name carries the account's label, so it is the same button under its new name.
    expect(rename, 'the Rename button named the old label').toContain('Slack account')
    await until(() => focused(page), value => value === rename.replace('Slack account)', 'Work Slack)'), 'focus back on the Rename button, named for the new label')

    // The account is revoked behind the app's back, in Metorial's dashboard, in another tab.
    const dashboard = await openDashboard(session, page)
    expect(await text(dashboard, `${dashboardRow(firstId)} td:nth-of-type(2)`), 'the rename reached Metorial').toBe('Work Slack')
    await dashboard.click(await named(dashboard, `Archive Work Slack (${firstId})`, dashboardRow(firstId)))
    await until(() => attr(dashboard, dashboardRow(firstId), 'data-status'), value => value === 'archived', 'archived in the dashboard')
    await dashboard.close()

    // Back on the app's tab: the focus the browser gives it makes the list check again.
    await until(
      async () => {
        await page.evaluate(`window.dispatchEvent(new Event('focus')), true`)
        return showsRevoked(page, 'slack')
      },
      revoked => revoked,
      'Slack’s account shown revoked',
      30_000,
    )
    const [revoked] = await connections(page, 'slack')
    expect(revoked).toMatchObject({ id: firstId, status: 'revoked', name: 'Work Slack', revokedAt: expect.any(String) })
    expect(await text(page, row('slack'))).toContain('Work Slack')
    expect(await axeViolations(page, 'revoked')).toEqual([])

    // Reconnect in place: its primary action.
    await page.click(await named(page, 'Reconnect Slack (opens in a new window)', row('slack')))
    const popup = await consentWindow(session, page)
    await popup.click(await named(popup, 'Allow'))
    const [replacement] = await until(
      () => connections(page, 'slack'),
      items => items.length === 1 && items[0]?.status === 'active',
      'one active Slack connection on the server',
      20_000,
    )
    expect(replacement?.id).toMatch(/^pac_/)
    expect(replacement?.id).not.toBe(firstId)
    expect(replacement?.name).toBe('Work Slack')
    await until(() => state(page, 'slack'), value => value === 'connected', 'Slack’s row connected again')
    await until(() => showsRevoked(page, 'slack'), shown => !shown, 'no revoked account left')
    expect(await page.evaluate<number>(`document.querySelectorAll(${JSON.stringify(row('slack'))}).length`)).toBe(1)
    expect(await page.evaluate<number>(`document.querySelectorAll(${JSON.stringify(`${row('slack')} [data-connection-id]`)}).length`)).toBeLessThanOrEqual(1)
    expect(await text(page, row('slack'))).toContain('Work Slack')
    const lines = await until(() => texts(page, '[data-testid="connected-log"] > li'), found => found.length === 2, 'onConnected for the connect and the reconnect')
    expect(lines).toEqual([`onConnected(${firstId}) slack`, `onConnected(${replacement?.id}) slack`])
    // Metorial still has the old config archived, the new one active.
    const configs = sim.listAuthConfigs().filter(config => config.provider_id === 'slack' && JSON.stringify(config.metadata).includes(user))
    expect(configs.map(config => [config.id, config.status])).toEqual([
      [firstId, 'archived'],
      [replacement?.id, 'active'],
    ])
    expect(await axeViolations(page, 'reconnected')).toEqual([])
    await session.close()
  })
})
