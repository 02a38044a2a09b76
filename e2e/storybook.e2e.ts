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

beforeAll(async () => {
  server = await serveStatic()
  browser = await launchChromium()
  shared = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' })
  await shared.addInitScript(storyEventsInitScript)
  // The clock is the context's: every story draws the same dates.
  await shared.clock.setFixedTime(new Date('2026-11-20T12:00:00Z'))
})

afterAll(async () => {
  await shared?.close()
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

/**
 * How each story must look: light at 640 px, dark at 320 px (the narrowest phone), and forced colours
 * for the states with the most to show. Compared with committed baselines in `e2e/__screenshots__`;
 * `npm run test:visual:update` rewrites them on purpose. The clock is fixed (dates in the list) and
 * motion reduced (spinners), so the same build draws the same pixels.
 */
const VARIANTS = [
  { name: 'light', width: 640, colorScheme: 'light', globals: 'theme:light', forcedColors: 'none' },
  { name: 'dark-320', width: 320, colorScheme: 'dark', globals: 'theme:dark', forcedColors: 'none' },
  { name: 'forced-colors', width: 640, colorScheme: 'light', globals: 'theme:light', forcedColors: 'active', only: /--(pending|error-status|popup-blocked|mixed-states|disconnect-dialog-open)$/ },
] as const

/** A screenshot once two in a row agree: a late answer of the mock may still repaint after the play function. */
async function stableScreenshot(page: Page): Promise<Buffer> {
  const take = () => page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' })
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
    const ev = Evidence.inContext(ctx, shared)
    const page: Page = await ev.newPage()
    await page.setViewportSize({ width: variant.width, height: 480 })
    await page.emulateMedia({ colorScheme: variant.colorScheme, forcedColors: variant.forcedColors, reducedMotion: 'reduce' })
    // Nothing a story before it stored (a redirect record, a cached list) reaches this one.
    const cdp = await shared.newCDPSession(page)
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
    const shot = await stableScreenshot(page)
    // Hermetic: only the repository's fonts drew this page, so another machine's fonts cannot change it.
    expect(await systemFontsUsed(page), `system fonts drawing ${id} (${variant.name})`).toEqual([])
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
