import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { Evidence, metaOf } from './support/artifacts.js'
import { formatViolations, runAxe } from './support/axe.js'
import { launchChromium } from './support/browser.js'
import { buildStorybook, serveStatic, storyEventsInitScript } from './support/storybook.js'

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

    await page.goto(`${server.url}/iframe.html?id=${encodeURIComponent(story.id)}&viewMode=story`)
    const events = async () => (await page.evaluate(() => (window as unknown as { __e2eStoryEvents?: unknown[] }).__e2eStoryEvents ?? [])) as StoryEvent[]
    await expect
      .poll(async () => (await events()).some(event => FINAL_EVENTS.has(event.name) && (event.payload?.storyId ?? story.id) === story.id), {
        timeout: 20_000,
        message: `Storybook reports ${story.id} finished`,
      })
      .toBe(true)
    const seen = await events()
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
