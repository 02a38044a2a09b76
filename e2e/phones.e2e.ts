import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import { ARTIFACTS_DIR, Evidence } from './support/artifacts.js'
import { launchChromium } from './support/browser.js'
import { checkAxe, connectedLog, decide, expectAccessible, list, openApp, row, startConnect, textOf, uniqueUser, waitFor, waitForConsent, warmUp } from './support/playground.js'
import type { AxeSummary } from './support/axe.js'

/**
 * The playground on a phone: 360 × 740 CSS pixels, touch input, a coarse pointer (Chromium's
 * emulation). Nothing scrolls sideways, every control is at least 44 × 44 px, a tap connects, the
 * disconnect dialog does not shift the page; and in an app's web view that Google refuses, its rows
 * offer the way out. The driver of `browsers.e2e.ts` sets neither a user agent nor touch, so these
 * run in Chromium through Playwright.
 */
const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

const INSTAGRAM_ANDROID =
  'Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SQ3A.220705.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.71 Mobile Safari/537.36 Instagram 243.1.0.14.111 Android (31/12; 420dpi; 1080x2209; Google/google; Pixel 6; oriole; oriole; en_US; 382290498)'

/** Where the screenshots looked at for the report go. */
const SHOTS = process.env.PHONE_SHOTS_DIR || join(ARTIFACTS_DIR, 'phones')

let browser: Browser
let playground: Playground
let dataDir = ''
const axeResults: AxeSummary[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rpc-e2e-phones-'))
  playground = await startPlayground({ port: 0, host: '127.0.0.1', lifetimeMs: 30 * 60 * 1000, dataDir, logger: { warn() {}, error() {} } })
  browser = await launchChromium()
  await warmUp(browser, playground.url)
  mkdirSync(SHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await playground?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

interface Target {
  what: string
  width: number
  height: number
}

/** Every control of the library on the page (the button, the list, the catalogue, the dialog) that is visible and under 44 × 44. */
async function smallTargets(page: Page): Promise<Target[]> {
  return page.evaluate(() => {
    const selector = [':is(.rpc-connections, .rpc-dialog) :is(button, a[href], input, select, textarea, [role="tab"])', '.rpc-button', '.rpc-button-cancel'].join(', ')
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter(element => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
      .map(element => {
        const box = element.getBoundingClientRect()
        const what = (element.getAttribute('aria-label') || element.textContent || element.getAttribute('placeholder') || element.tagName).trim().slice(0, 60)
        return { what, width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10 }
      })
      .filter(target => target.width < 44 || target.height < 44)
  })
}

/** How far the page scrolls sideways: 0 when nothing is wider than the screen. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement
    return root.scrollWidth - root.clientWidth
  })
}

/** Where the page's own content sits: a scroll lock that shifts it moves these. */
async function layout(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const boxes: Record<string, number[]> = {}
    for (const selector of ['h1', '.pg-lead', '.rpc-connections', '.rpc-connections-list']) {
      const box = document.querySelector(selector)?.getBoundingClientRect()
      if (box) boxes[selector] = [box.left, box.width].map(value => Math.round(value * 10) / 10)
    }
    const root = document.scrollingElement ?? document.documentElement
    boxes['scrollWidth'] = [root.scrollWidth, root.clientWidth]
    return boxes
  })
}

async function expectFits(page: Page, state: string): Promise<void> {
  expect(await horizontalOverflow(page), `sideways scroll (${state})`).toBe(0)
  expect(await smallTargets(page), `controls under 44 × 44 (${state})`).toEqual([])
}

describe('the playground on a phone (Chromium, 360 × 740, touch)', () => {
  test('the pointer is coarse, so the 44 px rule applies', async ctx => {
    const ev = await Evidence.start(ctx, browser, PHONE)
    const page = await openApp(ev, playground.url, uniqueUser('phone-pointer'))
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true)
    expect(await page.evaluate(() => innerWidth)).toBe(360)
  })

  test('list and catalogue: no sideways scroll, every control 44 × 44, searched and filtered by tap', async ctx => {
    const ev = await Evidence.start(ctx, browser, { ...PHONE, colorScheme: 'dark' })
    const page = await openApp(ev, playground.url, uniqueUser('phone-list'))
    await expectFits(page, 'list')
    await page.screenshot({ path: join(SHOTS, 'phones-list-dark-360.png'), fullPage: false })

    const search = page.getByRole('searchbox', { name: 'Search integrations' })
    await search.tap()
    await page.keyboard.type('google')
    await expect.poll(() => list(page).locator('li[data-provider]').count()).toBeLessThan(8)
    await expectFits(page, 'searched')
    await search.fill('')

    const chips = page.getByRole('group', { name: 'Categories' }).getByRole('button')
    const second = chips.nth(1)
    const category = await textOf(second)
    await second.tap()
    await expect.poll(() => second.getAttribute('aria-pressed')).toBe('true')
    await expectFits(page, `category ${category}`)
    await page.screenshot({ path: join(SHOTS, 'phones-catalogue-dark-360.png'), fullPage: false })
    await chips.first().tap()
    axeResults.push(await checkAxe(ctx, page, 'phone: list (dark)'))
  })

  test('connect by tap, then the disconnect dialog: it fits, its buttons are 44 px, the page behind does not move', async ctx => {
    const ev = await Evidence.start(ctx, browser, PHONE)
    const page = await openApp(ev, playground.url, uniqueUser('phone-connect'))
    const slack = row(page, 'slack')
    const { popup } = await startConnect(page, () => slack.getByRole('button', { name: /^Connect Slack/ }).tap())
    await expectFits(page, 'connecting')
    await waitForConsent(popup)
    await decide(popup, 'Allow')
    await waitFor(slack, 'data-state', 'connected')
    await expect.poll(() => connectedLog(page).count()).toBe(1)
    await expectFits(page, 'connected')

    // The page as it is, then with the dialog open: Radix's scroll lock must not shift it.
    await slack.scrollIntoViewIfNeeded()
    const before = await layout(page)
    await slack.getByRole('button', { name: 'Disconnect Slack' }).tap()
    const dialog = page.getByRole('dialog', { name: 'Disconnect Slack?' })
    await dialog.waitFor()
    // Measured once it has popped in (its animation scales it).
    await page.evaluate(() => Promise.all(document.getAnimations().map(animation => animation.finished)))
    expect(await layout(page), 'the page behind the dialog').toEqual(before)
    await expectFits(page, 'dialog open')
    const box = await dialog.boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 360, `the dialog within the screen: ${JSON.stringify(box)}`).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'phones-dialog-light-360.png') })
    axeResults.push(await checkAxe(ctx, page, 'phone: disconnect dialog'))
    await dialog.getByRole('button', { name: 'Disconnect' }).tap()
    await waitFor(slack, 'data-state', 'disconnected')
    expect(await layout(page), 'the page once the dialog closed').toEqual(before)
  })

  test('the single button and its Cancel while pending are 44 px too', async ctx => {
    const ev = await Evidence.start(ctx, browser, PHONE)
    const page = await openApp(ev, playground.url, uniqueUser('phone-button'))
    const button = page.locator('.pg-card .rpc-button').first()
    await button.scrollIntoViewIfNeeded()
    const { popup } = await startConnect(page, () => button.tap())
    await waitForConsent(popup)
    await expectFits(page, 'button pending')
    await popup.close()
  })

  test('accessible in every state looked at', () => {
    expectAccessible(axeResults)
  })
})

describe('an in-app browser that Google refuses (Instagram on Android, Chromium)', () => {
  test('Google rows offer Open in your browser and Copy link instead of Connect; Copy link copies the page and says so', async ctx => {
    const ev = await Evidence.start(ctx, browser, { ...PHONE, userAgent: INSTAGRAM_ANDROID, colorScheme: 'dark' })
    await ev.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: playground.url })
    const page = await openApp(ev, playground.url, uniqueUser('in-app'))
    const calendar = row(page, 'google-calendar')
    await expect.poll(() => calendar.getAttribute('data-in-app-browser')).toBe('')
    expect(await textOf(calendar)).toContain("Google Calendar does not allow signing in from this app's browser.")
    expect(await calendar.getByRole('button', { name: /^Connect/ }).count()).toBe(0)
    const open = calendar.getByRole('link', { name: 'Open in your browser' })
    const href = (await open.getAttribute('href')) ?? ''
    const page0 = new URL(page.url())
    expect(href.startsWith(`intent://${page0.host}${page0.pathname}${page0.search}#Intent;scheme=http;`), href).toBe(true)
    expect(href).toContain(`S.browser_fallback_url=${encodeURIComponent(page.url())};end`)
    // Slack does not refuse web views: its row connects as anywhere.
    expect(await row(page, 'slack').getByRole('button', { name: /^Connect Slack/ }).count()).toBe(1)

    // By keyboard: Copy link is a real button in the tab order.
    await calendar.getByRole('link', { name: 'Open in your browser' }).focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy link')
    await page.keyboard.press('Enter')
    const status = calendar.locator('.rpc-in-app-browser-status')
    await expect.poll(() => textOf(status)).toBe("Link copied. Paste it in your browser's address bar.")
    expect(await status.getAttribute('aria-live')).toBe('polite')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url())

    await calendar.scrollIntoViewIfNeeded()
    await expectFits(page, 'in-app browser')
    await calendar.screenshot({ path: join(SHOTS, 'phones-in-app-browser-dark-360.png') })
    axeResults.push(await checkAxe(ctx, page, 'phone: in-app browser (dark)'))
    expectAccessible(axeResults.slice(-1))
  })
})
