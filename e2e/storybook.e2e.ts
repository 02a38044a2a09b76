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

beforeAll(async () => {
  server = await serveStatic()
  browser = await launchChromium()
})

afterAll(async () => {
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

describe('Storybook stories (built, Chromium)', () => {
  test('the built Storybook has stories', () => {
    expect(stories.length).toBeGreaterThan(20)
  })

  test.for(stories)('$title / $name', async (story, ctx) => {
    const ev = await Evidence.start(ctx, browser, { viewport: { width: 900, height: 700 } })
    const context: BrowserContext = ev.context
    await context.addInitScript(storyEventsInitScript)
    const page: Page = await ev.newPage()
    const errors: string[] = []
    page.on('console', message => {
      if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`)
    })
    page.on('pageerror', error => errors.push(`pageerror: ${error.message}`))

    const seen = await openStory(page, story.id)
    ev.log.push(`story events: ${JSON.stringify(seen)}`)
    const finished = seen.find(event => event.name === 'storyFinished')
    const failures = seen.filter(event => event.name !== 'storyFinished' && event.name !== 'storyRendered')
    await ev.shot(page, story.id)

    expect(failures.map(event => `${event.name}: ${JSON.stringify(event.payload)}`), 'play function / render errors').toEqual([])
    expect(finished?.payload?.status, 'storyFinished status').toBe('success')
    expect(errors, 'console errors').toEqual([])

    const axe = await runAxe(page, `story ${story.id}`, '#storybook-root')
    metaOf(ctx).axe = [axe]
    expect(formatViolations(axe), `axe WCAG 2.2 A/AA on ${story.id}`).toBe('')
  })
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

describe('Storybook stories look as committed (visual regression, Chromium)', () => {
  test.for(visualCases)('$title / $name ($variant.name)', async ({ id, variant }, ctx) => {
    const ev = await Evidence.start(ctx, browser, {
      viewport: { width: variant.width, height: 480 },
      colorScheme: variant.colorScheme,
      forcedColors: variant.forcedColors,
      reducedMotion: 'reduce',
      locale: 'en-US',
      timezoneId: 'UTC',
    })
    await ev.context.addInitScript(storyEventsInitScript)
    const page: Page = await ev.newPage()
    await page.clock.setFixedTime(new Date('2026-11-20T12:00:00Z'))
    await openStory(page, id, variant.globals)
    // Fonts and the last paint after the play function's final assertion.
    await page.evaluate(() => document.fonts.ready.then(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))))
    const shot = await stableScreenshot(page)
    // Hermetic: only the repository's fonts drew this page, so another machine's fonts cannot change it.
    expect(await systemFontsUsed(page), `system fonts drawing ${id} (${variant.name})`).toEqual([])
    const result = compareWithBaseline(`${id}.${variant.name}`, shot, ev.dir)
    ev.log.push(`visual: ${result.diffPixels} pixels differ from the baseline`)
    expect(result.problem, `${id} (${variant.name})`).toBeNull()
  })
})
