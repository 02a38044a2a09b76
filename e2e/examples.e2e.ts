import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startMetorialSimulation } from '../src/simulation/index.js'
import type { RunningSimulation } from '../src/simulation/index.js'
import { launchChromium } from './support/browser.js'
import { freePort, installExample, readmeCommands, removeDir, startApp } from './support/examples.js'
import type { RunningApp } from './support/examples.js'

/**
 * The examples a user copies, built as a user would (from the packed tarball, with their own
 * `npm install`), started in production mode on 127.0.0.1, and driven in Chromium. Metorial is the
 * shipped simulation, in a process of its own so a test can take it down.
 */

const EXAMPLES = [{ name: 'vite' }, { name: 'nextjs' }, { name: 'react-router' }] as const

const timings: string[] = []

for (const example of EXAMPLES) {
  describe(`examples/${example.name}, from the packed tarball`, () => {
    let dir = ''
    let sim: RunningSimulation
    let app: RunningApp
    let browser: Browser
    let context: BrowserContext
    let page: Page

    beforeAll(async () => {
      const started = Date.now()
      // The README's `npm install && npm run build`, in a clone's layout (see installExample).
      const installed = installExample(example.name)
      dir = installed.root
      timings.push(`${example.name}: install + build ${((Date.now() - started) / 1000).toFixed(1)} s`)
      sim = await startMetorialSimulation({ port: 0 })
      const port = await freePort()
      // The README's `npm start`, on a free port (every example reads PORT).
      app = await startApp(installed.dir, installed.start, `http://127.0.0.1:${port}/`, {
        PORT: String(port),
        METORIAL_API_KEY: sim.connectOptions.apiKey,
        METORIAL_BASE_URL: sim.connectOptions.baseUrl,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      })
      browser = await launchChromium()
      context = await browser.newContext()
      await context.addCookies([{ name: 'demo_user', value: `e2e-${example.name}-${Date.now()}`, url: app.url }])
      page = await context.newPage()
    }, 300_000)

    afterAll(async () => {
      await browser?.close()
      await app?.stop()
      await sim?.close()
      if (dir) removeDir(dir)
    })

    test('its README commands work as written: npm install && npm run build && npm start, from a clone', async () => {
      // beforeAll ran them (from a clone's layout, `file:../..` resolving to the packed package); here, what it ran.
      expect(readmeCommands(example.name)).toEqual({ commands: ['npm install', 'npm run build', 'npm start'], url: 'http://127.0.0.1:3000' })
      const manifest = JSON.parse(readFileSync(join('examples', example.name, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
      expect(manifest.dependencies['react-provider-connect'], 'the repository itself, not a registry version').toBe('file:../..')
      expect(readFileSync(join('examples', example.name, '.npmrc'), 'utf8')).toMatch(/^install-links=true$/m)
      const response = await fetch(app.url)
      expect(response.status).toBe(200)
      expect(await response.text()).toMatch(/<html/i)
    })

    const row = (providerId: string) => page.locator(`li[data-provider="${providerId}"]`)
    const text = async (selector: ReturnType<Page['locator']>) => ((await selector.textContent()) ?? '').replace(/\s+/g, ' ').trim()

    /** Clicks, answers on the simulated consent page, and waits for the popup to go. */
    async function consent(click: () => Promise<void>, decision: 'Allow' | 'Deny'): Promise<void> {
      const popupEvent = page.waitForEvent('popup')
      await click()
      const popup = await popupEvent
      await popup.waitForURL(/\/consent\/pas_/, { timeout: 20_000 })
      const closed = decision === 'Allow' ? popup.waitForEvent('close', { timeout: 20_000 }) : null
      await popup.getByRole('button', { name: decision }).click()
      if (closed) await closed
      else await popup.close()
    }

    async function timed(name: string, body: () => Promise<void>): Promise<void> {
      const started = Date.now()
      await body()
      timings.push(`${example.name}: ${name} ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }

    test('connect with the button', async () => {
      await timed('connect with the button', async () => {
        await page.goto(app.url)
        await page.locator('.rpc-connections[data-state="ready"]').waitFor({ timeout: 30_000 })
        const button = page.getByRole('button', { name: /^Connect Linear/ })
        await consent(() => button.click(), 'Allow')
        await expect.poll(() => page.locator('button[data-status="completed"]').first().textContent(), { timeout: 20_000 }).toContain('Linear connected')
      })
    })

    test('connect from the list', async () => {
      await timed('connect from the list', async () => {
        await consent(() => row('slack').getByRole('button', { name: /^Connect Slack/ }).click(), 'Allow')
        await expect.poll(() => row('slack').getAttribute('data-state'), { timeout: 20_000 }).toBe('connected')
      })
    })

    test('deny: a clear, styled message that does not name the vendor', async () => {
      await timed('deny', async () => {
        const github = row('github')
        await consent(() => github.getByRole('button', { name: /^Connect GitHub/ }).click(), 'Deny')
        await expect.poll(() => github.getAttribute('data-state'), { timeout: 20_000 }).toBe('error')
        const message = await text(github.locator('.rpc-row-status'))
        expect(message).toMatch(/^GitHub was not connected: .+/)
        expect(message).not.toMatch(/metorial/i)
        const color = await github.locator('.rpc-row-status').evaluate(element => getComputedStyle(element).color)
        expect(color).not.toBe('rgb(0, 0, 0)')
      })
    })

    test('reload: the connection made is still listed', async () => {
      await timed('reload', async () => {
        await page.reload()
        await page.locator('.rpc-connections[data-state="ready"]').waitFor({ timeout: 30_000 })
        expect(await row('slack').getAttribute('data-state')).toBe('connected')
        expect(await row('github').getAttribute('data-state')).toBe('disconnected')
        expect(await page.locator('body').textContent()).not.toMatch(/metorial/i)
        await page.screenshot({ path: `.e2e-artifacts/examples-${example.name}.png`, fullPage: true })
      })
    })

    test('disconnect through the dialog', async () => {
      await timed('disconnect', async () => {
        const slack = row('slack')
        await slack.getByRole('button', { name: /^Disconnect Slack/ }).click()
        const dialog = page.getByRole('dialog', { name: 'Disconnect Slack?' })
        await dialog.waitFor()
        await dialog.getByRole('button', { name: 'Disconnect' }).click()
        await expect.poll(() => slack.getAttribute('data-state'), { timeout: 20_000 }).toBe('disconnected')
        await page.reload()
        await page.locator('.rpc-connections[data-state="ready"]').waitFor({ timeout: 30_000 })
        expect(await row('slack').getAttribute('data-state')).toBe('disconnected')
      })
    })

    test('a direct visit to the callback page claims no success', async () => {
      await timed('direct callback visit', async () => {
        const visit = await context.newPage()
        await visit.goto(new URL('/connect/callback', app.url).href)
        await expect.poll(() => text(visit.locator('body')), { timeout: 10_000 }).toContain('you can close this window')
        expect(await text(visit.locator('body'))).not.toMatch(/connected|success/i)
        // Once completeSetupSession() has run: one main landmark, the words once.
        await visit.waitForTimeout(500)
        expect(await visit.getByRole('main').count(), 'main landmarks').toBe(1)
        expect((await text(visit.locator('body'))).split('you can close this window').length - 1, 'times the text is shown').toBe(1)
        await visit.close()
      })
    })

    test('the vendor down: a clear, styled error on the page, without its name', async () => {
      await timed('backend failure', async () => {
        await sim.close()
        const calendar = row('google-calendar')
        const popupEvent = page.waitForEvent('popup')
        await calendar.getByRole('button', { name: /^Connect Google Calendar/ }).click()
        await popupEvent
        await expect.poll(() => calendar.getAttribute('data-state'), { timeout: 30_000 }).toBe('error')
        const message = await text(calendar.locator('.rpc-row-status'))
        expect(message).toMatch(/^Could not connect Google Calendar: .+/)
        expect(message).not.toMatch(/metorial/i)
      })
    })
  })
}

afterAll(() => {
  console.log(`examples:\n  ${timings.join('\n  ')}`)
})
