import { expect } from 'vitest'
import type { TestContext } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { formatViolations, runAxe } from './axe.js'
import type { AxeSummary } from './axe.js'
import { metaOf } from './artifacts.js'
import type { Evidence } from './artifacts.js'

/** A user of its own per test, so tests sharing one playground never see each other's connections. */
export function uniqueUser(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${Math.random().toString(36).slice(2, 8)}`
}

/** Opens the Integrations page as `user` (the playground's `?user=` cookie switch) and waits for the list. */
export async function openApp(evidence: Evidence, baseUrl: string, user: string, mode?: 'popup' | 'redirect' | 'auto', page?: Page): Promise<Page> {
  const target = page ?? (await evidence.newPage())
  await target.goto(`${baseUrl}/?user=${encodeURIComponent(user)}${mode ? `&mode=${mode}` : ''}`)
  await expect.poll(() => target.getByTestId('current-user').textContent()).toBe(user)
  await waitFor(list(target), 'data-state', 'ready')
  return target
}

/** Loads `/` and `/callback.html` once, so Vite's pre-bundling (which may reload a page) is done before any test or measurement. */
export async function warmUp(browser: Browser, baseUrl: string): Promise<void> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(`${baseUrl}/`)
    await page.locator('.rpc-connections[data-state="ready"]').waitFor({ timeout: 60_000 })
    await page.goto(`${baseUrl}/callback.html`)
    await page.getByText('You can close this window', { exact: false }).waitFor({ timeout: 30_000 })
    await page.goto(`${baseUrl}/`)
    await page.locator('.rpc-connections[data-state="ready"]').waitFor({ timeout: 60_000 })
  } finally {
    await context.close()
  }
}

export function list(page: Page): Locator {
  return page.locator('.rpc-connections')
}

export function row(page: Page, providerId: string): Locator {
  return page.locator(`li[data-provider="${providerId}"]`)
}

/** The row's polite live region (what a screen reader is told). */
export function liveRegion(rowLocator: Locator): Locator {
  return rowLocator.locator(':scope > [role="status"]')
}

export function connectedLog(page: Page): Locator {
  return page.locator('[data-testid="connected-log"] > li')
}

export async function eventLog(page: Page): Promise<string[]> {
  return page.locator('[data-testid="event-log"] > li').allTextContents()
}

export async function waitFor(locator: Locator, attribute: string, value: string, timeout = 20_000): Promise<void> {
  await expect.poll(() => locator.getAttribute(attribute), { timeout, message: `${attribute} of ${String(locator)}` }).toBe(value)
}

export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

/**
 * Clicks (or presses) and returns the window showing the consent page of the setup session the
 * click created. The flow names its popup per provider, so a popup left open by an earlier attempt
 * is reused (navigated) rather than opened anew: no `popup` event then, hence the search by URL.
 */
export async function startConnect(page: Page, action: () => Promise<unknown>): Promise<{ popup: Page; sessionId: string; reused: boolean }> {
  const before = new Set(page.context().pages())
  const created = page.waitForResponse(response => new URL(response.url()).pathname === '/api/connect/setup-sessions' && response.request().method() === 'POST')
  await action()
  const response = await created
  expect(response.status(), 'create answered').toBeLessThan(300)
  const session = (await response.json()) as { id: string }
  let popup: Page | undefined
  await expect
    .poll(
      () => {
        popup = page
          .context()
          .pages()
          .find(candidate => candidate !== page && !candidate.isClosed() && candidate.url().includes(`/consent/${session.id}`))
        return popup !== undefined
      },
      { timeout: 15_000, message: `a window showing the consent page of ${session.id}` },
    )
    .toBe(true)
  return { popup: popup as Page, sessionId: session.id, reused: before.has(popup as Page) }
}

export async function waitForConsent(popup: Page): Promise<void> {
  await popup.waitForURL(/\/metorial\/consent\/pas_/, { timeout: 15_000 })
  await popup.getByRole('button', { name: 'Allow' }).waitFor()
}

/** Presses Allow or Deny on the simulated consent page. With Allow the callback page closes the popup. */
export async function decide(popup: Page, decision: 'Allow' | 'Deny'): Promise<void> {
  const closed = decision === 'Allow' ? popup.waitForEvent('close', { timeout: 15_000 }) : null
  await popup
    .getByRole('button', { name: decision })
    .click()
    .catch((error: unknown) => {
      if (!popup.isClosed()) throw error
    })
  if (closed) await closed
}

/** Runs axe on the page as it is now, records it for the report; `expectAccessible` asserts at the end. */
export async function checkAxe(test: TestContext, page: Page, name: string, into?: AxeSummary[]): Promise<AxeSummary> {
  const summary = await runAxe(page, name)
  into?.push(summary)
  const meta = metaOf(test)
  meta.axe ??= []
  meta.axe.push(summary)
  return summary
}

export function expectAccessible(summaries: AxeSummary[]): void {
  const failing = summaries.filter(summary => summary.violations.length > 0)
  expect(failing.map(summary => `${summary.name}:\n${formatViolations(summary)}`).join('\n\n'), 'axe WCAG 2.2 A/AA violations').toBe('')
}

/** `/api/connect/*` requests the context makes, with the time they were sent. */
export function recordApiRequests(context: BrowserContext): Array<{ method: string; path: string; at: number }> {
  const requests: Array<{ method: string; path: string; at: number }> = []
  context.on('request', request => {
    const url = new URL(request.url())
    if (url.pathname.startsWith('/api/connect/')) requests.push({ method: request.method(), path: url.pathname, at: Date.now() })
  })
  return requests
}

export interface Mark {
  name: string
  at: number
  path: string
  detail?: string
}

/**
 * Timestamps from inside the pages (epoch ms from `performance.timeOrigin + performance.now()`):
 * `callback-start` when the callback page's document starts, `callback-dcl` at its DOMContentLoaded,
 * `message` when the app page receives a postMessage, `connected-log` when an `onConnected` line appears.
 */
export async function installMarks(context: BrowserContext): Promise<Mark[]> {
  const marks: Mark[] = []
  await context.exposeBinding('__e2eMark', ({ page }, name: string, at: number, detail?: string) => {
    marks.push({ name, at, path: page ? new URL(page.url()).pathname : '', detail })
  })
  await context.addInitScript(() => {
    const mark = (name: string, detail?: string) =>
      (window as unknown as { __e2eMark?: (name: string, at: number, detail?: string) => void }).__e2eMark?.(name, performance.timeOrigin + performance.now(), detail)
    if (location.pathname === '/callback.html') {
      mark('callback-start')
      document.addEventListener('DOMContentLoaded', () => mark('callback-dcl'))
      return
    }
    if (location.protocol !== 'http:' || location.pathname.startsWith('/metorial')) return
    window.addEventListener('message', event => {
      if (event.origin === location.origin) mark('message')
    })
    let seen = 0
    const observer = new MutationObserver(() => {
      const items = document.querySelectorAll('[data-testid="connected-log"] > li')
      if (items.length > seen) {
        seen = items.length
        mark('connected-log', items[items.length - 1]?.textContent ?? '')
      }
    })
    document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }))
  })
  return marks
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
