// The playground in Arabic and Japanese, in Chromium: the browser's language (the context's
// `locale`, so navigator.languages) picks the library's locale among all eight, `?lang=` overrides
// it, and Arabic lays the list out right to left.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import type { MetorialSimulation } from '../src/simulation/index.js'
import { ar, de, ja } from '../src/locales/index.js'
import type { Locale } from '../src/locales/index.js'
import { resolveListLabel } from '../src/react/connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from '../src/react/connections-list-labels.js'
import { Evidence } from './support/artifacts.js'
import { launchChromium } from './support/browser.js'
import { list, row, textOf, uniqueUser, waitFor, warmUp } from './support/playground.js'

let browser: Browser
let playground: Playground
let dataDir = ''

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rpc-e2e-languages-'))
  playground = await startPlayground({ port: 0, host: '127.0.0.1', dataDir, logger: { warn() {}, error() {} } })
  browser = await launchChromium()
  await warmUp(browser, playground.url)
})

afterAll(async () => {
  await browser?.close()
  await playground?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

const say = (locale: Locale, name: keyof ConnectionsListLabels, context: Partial<ConnectionsListLabelContext> = {}) =>
  resolveListLabel(locale.list[name], { providerName: '', error: null, connection: null, connectionName: null, date: null, count: 0, ...context })

/** The playground as `user`, in a browser whose language is `browserLocale`, once its list is ready. */
async function open(ev: Evidence, user: string, query = ''): Promise<Page> {
  const page = await ev.newPage()
  await page.goto(`${playground.url}/?user=${encodeURIComponent(user)}${query}`)
  await waitFor(list(page), 'data-state', 'ready')
  return page
}

describe('the playground in the browser’s language (Chromium)', () => {
  test('Arabic: every library string in Arabic, and the list right to left', async ctx => {
    const ev = await Evidence.start(ctx, browser, { locale: 'ar-EG', viewport: { width: 900, height: 900 } })
    const page = await open(ev, uniqueUser('arabic'))
    await expect.poll(() => list(page).getAttribute('dir')).toBe('rtl')
    expect(await list(page).getAttribute('lang')).toBe('ar')
    const slack = row(page, 'slack')
    expect(await textOf(slack.locator('.rpc-row-status'))).toBe(say(ar, 'statusDisconnected'))
    const name = (await slack.locator('button').first().getAttribute('aria-label')) ?? ''
    expect(name).toContain(say(ar, 'connectLabel', { providerName: 'Slack' }))
    expect(await page.getByRole('searchbox').getAttribute('placeholder')).toBe(say(ar, 'searchPlaceholder'))
    // Mirrored: the logo sits on the right of the row, the button on the left.
    const logo = await slack.locator('.rpc-row-icon').boundingBox()
    const button = await slack.locator('button').first().boundingBox()
    expect(logo && button && logo.x > button.x, 'logo right of the button').toBe(true)
    // The single button outside the list speaks Arabic too, with its lang and dir.
    const single = page.locator('.rpc-button[data-provider="linear"]')
    expect(await single.getAttribute('dir')).toBe('rtl')
    expect(await textOf(single)).toContain(`ربط Linear`)
    await ev.shot(page, 'arabic')

    // The popup's placeholder, held on screen by a slow create, says it in Arabic (one centred line).
    ;(playground.simulation as MetorialSimulation).failNext('create-session', { delayMs: 1500, passThrough: true })
    const opened = page.waitForEvent('popup')
    await slack.locator('button').first().click()
    const placeholder = await opened
    const waiting = ar.popup.connecting({ providerName: 'Slack' })
    await placeholder.getByRole('status').filter({ hasText: waiting }).waitFor({ timeout: 5000 })
    expect(await placeholder.title()).toBe(waiting)
    await ev.shot(placeholder, 'arabic popup placeholder')
    await waitFor(slack, 'data-state', 'connecting')
    expect(await textOf(slack.locator(':scope > [role="status"]'))).toBe(say(ar, 'statusCreating', { providerName: 'Slack' }))
  })

  test('Japanese: the list and the button in Japanese, left to right', async ctx => {
    const ev = await Evidence.start(ctx, browser, { locale: 'ja-JP' })
    const page = await open(ev, uniqueUser('japanese'))
    await expect.poll(() => list(page).getAttribute('lang')).toBe('ja')
    expect(await list(page).getAttribute('dir')).toBe('ltr')
    expect(await textOf(row(page, 'slack').locator('.rpc-row-status'))).toBe(say(ja, 'statusDisconnected'))
    expect(await page.getByRole('searchbox').getAttribute('aria-label') ?? await page.getByRole('searchbox').getAttribute('placeholder')).toBeTruthy()
    expect(await page.locator('.rpc-connections').textContent()).not.toMatch(/Not connected|Connect\b/)
    await ev.shot(page, 'japanese')
  })

  test('?lang= overrides the browser: German in an Arabic browser', async ctx => {
    const ev = await Evidence.start(ctx, browser, { locale: 'ar' })
    const page = await open(ev, uniqueUser('override'), '&lang=de')
    await expect.poll(() => list(page).getAttribute('lang')).toBe('de')
    expect(await textOf(row(page, 'slack').locator('.rpc-row-status'))).toBe(say(de, 'statusDisconnected'))
  })
})
