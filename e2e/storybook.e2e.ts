import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { Evidence, metaOf } from './support/artifacts.js'
import { formatViolations, runAxe } from './support/axe.js'
import { launchChromium } from './support/browser.js'
import { buildStorybook, serveStatic, storyEventsInitScript } from './support/storybook.js'
import { compareWithBaseline, systemFontsUsed } from './support/visual.js'

// Built once, before the tests are collected: one test per story of the built Storybook.
const stories = await buildStorybook()

let browser: Browser
let server: Awaited<ReturnType<typeof serveStatic>>
/**
 * One context for every load, so Storybook's scripts come from its HTTP cache (and V8's code cache)
 * after the first: a fresh context per story spent most of each test compiling the same bundle.
 * Each test has its own page, viewport and media, and starts with the origin's storage cleared.
 */
let shared: BrowserContext
/** The same for the phone variants: touch input, so `(pointer: coarse)` matches and controls take their 44 px. */
let touch: BrowserContext

beforeAll(async () => {
  server = await serveStatic()
  browser = await launchChromium()
  shared = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' })
  touch = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', hasTouch: true, isMobile: true, deviceScaleFactor: 1 })
  for (const context of [shared, touch]) {
    await context.addInitScript(storyEventsInitScript)
    // The clock is the context's: every story draws the same dates.
    await context.clock.setFixedTime(new Date('2026-11-20T12:00:00Z'))
  }
})

afterAll(async () => {
  await shared?.close()
  await touch?.close()
  await browser?.close()
  await server?.close()
})

type StoryEvent = { name: string; payload: { storyId?: string; status?: string; message?: string } | null }

const FINAL_EVENTS = new Set(['storyFinished', 'playFunctionThrewException', 'storyErrored', 'storyThrewException', 'storyMissing'])

/** Opens a story and waits until its play function has finished; returns the preview's events. */
async function openStory(page: Page, id: string, globals = ''): Promise<StoryEvent[]> {
  await page.goto(`${server.url}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story${globals ? `&globals=${globals}` : ''}`)
  const events = async () => (await page.evaluate(() => (window as unknown as { __e2eStoryEvents?: unknown[] }).__e2eStoryEvents ?? [])) as StoryEvent[]
  await expect
    .poll(async () => (await events()).some(event => FINAL_EVENTS.has(event.name) && (event.payload?.storyId ?? id) === id), {
      timeout: 20_000,
      message: `Storybook reports ${id} finished`,
    })
    .toBe(true)
  return events()
}

test('the built Storybook has stories', () => {
  expect(stories.length).toBeGreaterThan(20)
})

/** The list's stories a phone user meets most: rows in every state, the catalogue, the dialog, a rename, an in-app browser. */
const PHONE_STORIES = /^components-connectionslist--(mixed-states|catalogue|catalogue-searched|several-accounts|popup-blocked|renaming|disconnect-dialog-open|in-app-browser)$/

/**
 * How each story must look: light at 640 px, dark at 320 px (the narrowest phone), the list's main
 * stories on a 360 px touch phone (light and dark), and forced colours for the states with the most to show. Compared with committed baselines in `e2e/__screenshots__`;
 * `npm run test:visual:update` rewrites them on purpose. The clock is fixed (dates in the list) and
 * motion reduced (spinners), so the same build draws the same pixels.
 */
const VARIANTS = [
  { name: 'light', width: 640, colorScheme: 'light', globals: 'theme:light', forcedColors: 'none' },
  { name: 'dark-320', width: 320, colorScheme: 'dark', globals: 'theme:dark', forcedColors: 'none' },
  { name: 'light-360-touch', width: 360, colorScheme: 'light', globals: 'theme:light', forcedColors: 'none', touch: true, only: PHONE_STORIES },
  { name: 'dark-360-touch', width: 360, colorScheme: 'dark', globals: 'theme:dark', forcedColors: 'none', touch: true, only: PHONE_STORIES },
  { name: 'forced-colors', width: 640, colorScheme: 'light', globals: 'theme:light', forcedColors: 'active', only: /--(pending|error-status|popup-blocked|mixed-states|disconnect-dialog-open)$/ },
] as const

/**
 * A screenshot once two in a row agree: a late answer of the mock may still repaint after the play
 * function. On a touch variant the viewport grows to the page instead of a full-page capture, which
 * lays the page out again without the mobile emulation (a fine pointer, 36 px buttons).
 */
async function stableScreenshot(page: Page, touchInput: boolean): Promise<Buffer> {
  if (touchInput) {
    const size = page.viewportSize()
    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    if (size && height > size.height) await page.setViewportSize({ width: size.width, height })
  }
  const take = () => page.screenshot({ fullPage: !touchInput, animations: 'disabled', caret: 'hide' })
  let previous = await take()
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.waitForTimeout(250)
    const next = await take()
    if (next.equals(previous)) return next
    previous = next
  }
  return previous
}

const visualCases = VARIANTS.flatMap(variant =>
  stories.filter(story => !('only' in variant) || variant.only.test(story.id)).map(story => ({ ...story, variant })),
)

/**
 * Each story once per variant, each load checked whole: its play function finished with no error and
 * no console error, only the repository's fonts drew it, and it looks as committed. The light pass
 * (every story) also runs axe and keeps a screenshot as evidence: one page load per story and
 * variant, which is most of this file's time.
 */
describe('Storybook stories (built, Chromium): they run, pass axe, and look as committed', () => {
  test.for(visualCases)('$title / $name ($variant.name)', async ({ id, variant }, ctx) => {
    const context = 'touch' in variant ? touch : shared
    const ev = Evidence.inContext(ctx, context)
    const page: Page = await ev.newPage()
    await page.setViewportSize({ width: variant.width, height: 480 })
    await page.emulateMedia({ colorScheme: variant.colorScheme, forcedColors: variant.forcedColors, reducedMotion: 'reduce' })
    // Nothing a story before it stored (a redirect record, a cached list) reaches this one.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin: server.url, storageTypes: 'cookies,local_storage,session_storage,indexeddb,cache_storage,service_workers' })
    await cdp.detach()
    const errors: string[] = []
    page.on('console', message => {
      if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`)
    })
    page.on('pageerror', error => errors.push(`pageerror: ${error.message}`))
    const seen = await openStory(page, id, variant.globals)
    ev.log.push(`story events: ${JSON.stringify(seen)}`)
    const finished = seen.find(event => event.name === 'storyFinished')
    const failures = seen.filter(event => event.name !== 'storyFinished' && event.name !== 'storyRendered')
    expect(failures.map(event => `${event.name}: ${JSON.stringify(event.payload)}`), 'play function / render errors').toEqual([])
    expect(finished?.payload?.status, 'storyFinished status').toBe('success')
    // Fonts and the last paint after the play function's final assertion.
    await page.evaluate(() => document.fonts.ready.then(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))))
    const shot = await stableScreenshot(page, 'touch' in variant)
    // Hermetic: only the repository's fonts drew this page, so another machine's fonts cannot change it.
    expect(await systemFontsUsed(page), `system fonts drawing ${id} (${variant.name})`).toEqual([])
    if ('touch' in variant) {
      // On a coarse pointer every visible control is at least 44 × 44, and nothing scrolls sideways.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('#storybook-root :is(button, a[href], input, [role="tab"]), .rpc-dialog :is(button, a[href])')]
          .filter(element => element.getClientRects().length > 0)
          .map(element => ({ what: (element.getAttribute('aria-label') || element.textContent || element.tagName).trim(), box: element.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 44 || box.height < 44)
          .map(({ what, box }) => `${what}: ${Math.round(box.width)} × ${Math.round(box.height)}`),
      )
      expect(small, `controls under 44 × 44 in ${id} (${variant.name})`).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 'sideways scroll').toBe(0)
    }
    const result = compareWithBaseline(`${id}.${variant.name}`, shot, ev.dir)
    ev.log.push(`visual: ${result.diffPixels} pixels differ from the baseline`)
    expect(result.problem, `${id} (${variant.name})`).toBeNull()
    expect(errors, 'console errors').toEqual([])
    if (variant.name === 'light') {
      await ev.shot(page, id)
      const axe = await runAxe(page, `story ${id}`, '#storybook-root')
      metaOf(ctx).axe = [axe]
      expect(formatViolations(axe), `axe WCAG 2.2 A/AA on ${id}`).toBe('')
    }
  })
})
